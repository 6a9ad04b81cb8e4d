import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

export const mebibyte = 1024 * 1024;

/**
 * `total` random bytes made as they are read, 64 KiB at a time, never held together; `sha256()`
 * is their digest once they have all been read.
 */
export function generatedBytes(total: number): { readable: Readable; sha256(): string } {
  const hash = createHash('sha256');
  let made = 0;
  const readable = new Readable({
    read() {
      if (made >= total) {
        this.push(null);
        return;
      }
      const chunk = randomBytes(Math.min(64 * 1024, total - made));
      made += chunk.length;
      hash.update(chunk);
      this.push(chunk);
    },
  });
  return { readable, sha256: () => hash.copy().digest('hex') };
}

/** The sha256 and length of everything `readable` gives. */
export async function digestOf(readable: Readable): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of readable) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Bytes whose value at each offset is known: `(offset * 31) mod 251`. */
export function patternedBytes(length: number, from = 0): Buffer {
  const bytes = Buffer.alloc(length);
  for (let index = 0; index < length; index += 1) bytes[index] = ((from + index) * 31) % 251;
  return bytes;
}
