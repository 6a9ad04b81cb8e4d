import { KeyCounts } from './key-counts.js';

/** Anything the queue holds: it only needs to know whose it is. */
export interface KeyedEntry {
  readonly key: string | undefined;
}

/**
 * A FIFO of waiting tasks that hands out the oldest *eligible* one, so a key at its cap waits
 * without blocking the keys behind it.
 *
 * A `Set` keeps insertion order and deletes in O(1), which is all a queue with removal from the
 * middle (aborts, timeouts) needs. `takeNext` scans from the oldest entry, at most `size` steps.
 */
export class TaskQueue<Entry extends KeyedEntry> {
  readonly #entries = new Set<Entry>();
  // Kept as entries come and go, so a per-key queue cap costs no scan.
  readonly #perKey = new KeyCounts();

  get size(): number {
    return this.#entries.size;
  }

  /** Entries of `key` waiting; 0 for no key. */
  sizeOf(key: string | undefined): number {
    return this.#perKey.of(key);
  }

  push(entry: Entry): void {
    if (this.#entries.has(entry)) return;
    this.#entries.add(entry);
    this.#perKey.add(entry.key);
  }

  /** Removes an entry wherever it is; returns whether it was there. */
  delete(entry: Entry): boolean {
    if (!this.#entries.delete(entry)) return false;
    this.#perKey.remove(entry.key);
    return true;
  }

  /** Removes and returns the oldest entry whose key may start now, if any. */
  takeNext(canStart: (key: string | undefined) => boolean): Entry | undefined {
    // A key found blocked stays blocked for the rest of this scan: skip its other entries cheaply.
    const blockedKeys = new Set<string | undefined>();
    for (const entry of this.#entries) {
      if (blockedKeys.has(entry.key)) continue;
      if (canStart(entry.key)) {
        this.delete(entry);
        return entry;
      }
      blockedKeys.add(entry.key);
    }
    return undefined;
  }

  /** Removes and returns the oldest entry, whatever its key. */
  shift(): Entry | undefined {
    return this.takeNext(() => true);
  }
}
