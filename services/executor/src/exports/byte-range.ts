import type { ByteRange } from '../jobs/job-queue.js';

export type RangeAnswer =
  | { kind: 'full' }
  | { kind: 'partial'; range: ByteRange }
  | { kind: 'unsatisfiable' };

// Range units are case-insensitive (RFC 9110 §14.1): `BYTES=0-1` is a byte range too.
const singleRange = /^bytes=(\d*)-(\d*)$/i;

/**
 * Reads a `Range` header for a file of `size` bytes (RFC 9110 §14). One range is served as a
 * 206; several ranges, another unit or a malformed header are ignored (a server may), which
 * serves the whole file; a range that starts past the end is a 416.
 */
export function parseByteRange(header: string | undefined, size: number): RangeAnswer {
  const match = header === undefined ? null : singleRange.exec(header.replace(/\s+/g, ''));
  if (!match) return { kind: 'full' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'full' };
  if (first === '') {
    const suffixLength = Number(last);
    if (suffixLength === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', range: { start: Math.max(0, size - suffixLength), end: size - 1 } };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Number(last);
  if (last !== '' && end < start) return { kind: 'full' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', range: { start, end: Math.min(end, size - 1) } };
}
