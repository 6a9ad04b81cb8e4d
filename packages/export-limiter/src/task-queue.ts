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

  get size(): number {
    return this.#entries.size;
  }

  push(entry: Entry): void {
    this.#entries.add(entry);
  }

  /** Removes an entry wherever it is; returns whether it was there. */
  delete(entry: Entry): boolean {
    return this.#entries.delete(entry);
  }

  /** Removes and returns the oldest entry whose key may start now, if any. */
  takeNext(canStart: (key: string | undefined) => boolean): Entry | undefined {
    // A key found blocked stays blocked for the rest of this scan: skip its other entries cheaply.
    const blockedKeys = new Set<string | undefined>();
    for (const entry of this.#entries) {
      if (blockedKeys.has(entry.key)) continue;
      if (canStart(entry.key)) {
        this.#entries.delete(entry);
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
