/** The bytes written since the last part was cut: kept as the chunks came, joined once per part. */
export class PendingBytes {
  #chunks: Buffer[] = [];
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#length += chunk.length;
  }

  /** The first `size` bytes (at most what is there), removed. */
  take(size: number): Buffer {
    const joined =
      this.#chunks.length === 1 ? (this.#chunks[0] as Buffer) : Buffer.concat(this.#chunks);
    const taken = Math.min(size, joined.length);
    // A copy of the rest, so that the part sent does not keep its backing memory alive.
    const rest = joined.length > taken ? Buffer.from(joined.subarray(taken)) : undefined;
    this.#chunks = rest === undefined ? [] : [rest];
    this.#length = rest?.length ?? 0;
    return joined.subarray(0, taken);
  }
}
