/** How many entries each key has; a key at 0 is forgotten, so the map never outgrows its keys. */
export class KeyCounts {
  readonly #counts = new Map<string, number>();

  /** The count of `key`; 0 for a key with none, or no key. */
  of(key: string | undefined): number {
    return key === undefined ? 0 : (this.#counts.get(key) ?? 0);
  }

  add(key: string | undefined): void {
    if (key !== undefined) this.#counts.set(key, this.of(key) + 1);
  }

  remove(key: string | undefined): void {
    if (key === undefined) return;
    const count = this.of(key) - 1;
    if (count <= 0) this.#counts.delete(key);
    else this.#counts.set(key, count);
  }

  /** Keys with a count above 0. */
  get size(): number {
    return this.#counts.size;
  }
}
