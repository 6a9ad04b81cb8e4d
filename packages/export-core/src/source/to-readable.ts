import { Readable } from 'node:stream';
import { detachOnReturn } from './detach-on-return.js';
import { assertExportSource } from './to-async-iterable.js';

/**
 * An object-mode Readable over any source. A sync iterable stays sync inside Readable.from,
 * which is several times cheaper per record than going through an async generator. An async
 * one is detached on return, so that destroying the stream never waits for its next record.
 */
export function toReadable(source: unknown): Readable {
  if (source instanceof Readable) return source;
  assertExportSource(source);
  const iterable =
    Symbol.asyncIterator in source ? detachOnReturn(source as AsyncIterable<unknown>) : source;
  return Readable.from(iterable, { objectMode: true });
}
