import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstInvalidUtf8Byte } from './first-invalid-utf8-byte.js';

describe('firstInvalidUtf8Byte', () => {
  it('is -1 for UTF-8, from ASCII to four-byte characters', () => {
    expect(firstInvalidUtf8Byte(Buffer.from('a é € 📈 \u{10ffff} \ud7ff \ue000'))).toBe(-1);
    expect(firstInvalidUtf8Byte(new Uint8Array(0))).toBe(-1);
  });

  it.each([
    ['a lone continuation byte', [0x80]],
    ['an overlong two-byte form', [0xc0, 0x80]],
    ['an overlong three-byte form', [0xe0, 0x9f, 0xbf]],
    ['an overlong four-byte form', [0xf0, 0x8f, 0xbf, 0xbf]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['a character beyond U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a byte that is never UTF-8', [0xff]],
    ['a character cut short by an ASCII byte', [0xe2, 0x82, 0x22]],
    ['a character cut short by the end', [0xf0, 0x9f, 0x93]],
  ])('finds the first byte of %s', (_name, bad) => {
    expect(firstInvalidUtf8Byte(Buffer.from([0x61, 0xc3, 0xa9, ...bad, 0x61]))).toBe(3);
  });

  it('agrees with isUtf8, and names where the valid prefix ends', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 12 }),
      fc.string({ unit: 'binary', maxLength: 6 }).map((text) => new Uint8Array(Buffer.from(text))),
    );
    fc.assert(
      fc.property(bytes, fc.nat(12), fc.nat(255), (input, at, byte) => {
        const edited = new Uint8Array(input);
        if (at < edited.length) edited[at] = byte;
        const offset = firstInvalidUtf8Byte(edited);
        expect(offset === -1).toBe(isUtf8(edited));
        if (offset === -1) return;
        expect(isUtf8(edited.subarray(0, offset))).toBe(true);
        // No character, of any length, starts at the offset.
        for (let end = offset + 1; end <= Math.min(offset + 4, edited.length); end += 1) {
          expect(isUtf8(edited.subarray(offset, end))).toBe(false);
        }
      }),
      { numRuns: 3_000 },
    );
  });
});
