import { describe, expect, it } from 'vitest';
import { parseByteRange } from '../src/exports/byte-range.js';

describe('parseByteRange', () => {
  it('serves the whole file when there is no Range header', () => {
    expect(parseByteRange(undefined, 100)).toEqual({ kind: 'full' });
  });

  it.each([
    ['bytes=0-9', { start: 0, end: 9 }],
    ['bytes=10-10', { start: 10, end: 10 }],
    ['bytes=90-', { start: 90, end: 99 }],
    ['bytes=-10', { start: 90, end: 99 }],
    ['bytes= 0 - 9', { start: 0, end: 9 }],
  ])('reads %s as one range', (header, range) => {
    expect(parseByteRange(header, 100)).toEqual({ kind: 'partial', range });
  });

  it('ends a range that runs past the end at the last byte', () => {
    expect(parseByteRange('bytes=50-1000', 100)).toEqual({
      kind: 'partial',
      range: { start: 50, end: 99 },
    });
  });

  it('serves the whole file as a range for a suffix longer than the file', () => {
    expect(parseByteRange('bytes=-1000', 100)).toEqual({
      kind: 'partial',
      range: { start: 0, end: 99 },
    });
  });

  it.each(['bytes=100-', 'bytes=100-200', 'bytes=-0'])('answers unsatisfiable for %s', (header) => {
    expect(parseByteRange(header, 100)).toEqual({ kind: 'unsatisfiable' });
  });

  it('answers unsatisfiable for any range of an empty file', () => {
    expect(parseByteRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseByteRange('bytes=-5', 0)).toEqual({ kind: 'unsatisfiable' });
  });

  it.each([
    ['several ranges', 'bytes=0-1,5-6'],
    ['another unit', 'items=0-9'],
    ['no numbers', 'bytes=-'],
    ['letters', 'bytes=a-b'],
    ['a negative start', 'bytes=--5'],
    ['an end before the start', 'bytes=9-2'],
    ['an empty header', ''],
  ])('ignores %s and serves the whole file', (_name, header) => {
    expect(parseByteRange(header, 100)).toEqual({ kind: 'full' });
  });
});

describe('the Range unit', () => {
  it.each(['BYTES=0-1', 'Bytes=0-1'])('is read in any case: %s', (header) => {
    expect(parseByteRange(header, 100)).toEqual({ kind: 'partial', range: { start: 0, end: 1 } });
  });
});
