import { isUtf8 } from 'node:buffer';
import { ExportError } from '../errors.js';
import { firstInvalidUtf8Byte } from './first-invalid-utf8-byte.js';

/**
 * Checks bytes that arrive in chunks for UTF-8, a chunk at a time: a character cut by a chunk's
 * end is carried (at most 3 bytes) and checked with the next one. Fails with EXPORT_INVALID_UTF8
 * naming the `offset` of the first bad byte from the start of the input.
 */
export class Utf8ChunkChecker {
  #carry: Uint8Array = new Uint8Array(0);
  #checked = 0;

  push(chunk: Uint8Array): void {
    const bytes = this.#carry.length === 0 ? chunk : joined(this.#carry, chunk);
    const cut = incompleteTailStart(bytes);
    const whole = bytes.subarray(0, cut);
    if (!isUtf8(whole)) throw notUtf8(this.#checked + firstInvalidUtf8Byte(whole));
    this.#checked += cut;
    this.#carry = bytes.slice(cut);
  }

  /** After the last chunk: a character cut short at the end is not UTF-8. */
  finish(): void {
    if (this.#carry.length > 0) throw notUtf8(this.#checked);
  }
}

/** Where a multi-byte character that the bytes end before completing starts; their length if none. */
function incompleteTailStart(bytes: Uint8Array): number {
  const length = bytes.length;
  for (let back = 1; back <= Math.min(3, length); back += 1) {
    const byte = bytes[length - back] as number;
    if ((byte & 0xc0) === 0x80) continue;
    if (byte < 0xc0) return length;
    const sequenceLength = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
    return sequenceLength > back ? length - back : length;
  }
  return length;
}

function joined(first: Uint8Array, second: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(first.length + second.length);
  bytes.set(first);
  bytes.set(second, first.length);
  return bytes;
}

export function notUtf8(offset: number): ExportError {
  return new ExportError(
    'EXPORT_INVALID_UTF8',
    `byte ${offset} is not valid UTF-8 (bodies must be UTF-8)`,
    { offset },
  );
}
