import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonText } from '../values/json-text.js';
import { parseJsonRecord } from './parse-json-record.js';
import { asDoubles } from './test-helpers/as-doubles.js';

/** A piece of JSON: its text with whitespace and escapes, its compact text, and its numbers. */
interface Piece {
  text: string;
  compact: string;
  numbers: string[];
}

const space = fc.constantFrom('', '', '', ' ', '\n', '\t', '\r\n  ');

const digits = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });

/** Any JSON number literal, and the ones a double is known to change. */
const numberLiteral = fc.oneof(
  fc
    .tuple(
      fc.boolean(),
      fc.oneof(fc.constant('0'), fc.tuple(fc.constantFrom(...'123456789'), digits(0, 24))),
      fc.option(digits(1, 20)),
      fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digits(1, 3))),
    )
    .map(
      ([negative, integer, fraction, exponent]) =>
        `${negative ? '-' : ''}${typeof integer === 'string' ? integer : integer.join('')}${
          fraction === null ? '' : `.${fraction}`
        }${exponent === null ? '' : exponent.join('')}`,
    ),
  fc.constantFrom('-0', '-0.0', '100.10', '1e21', '1e400', '0.0000001', '9007199254740993'),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((number) => JSON.stringify(number)),
  fc.integer().map(String),
);

/** Keys and strings, sometimes written with every character escaped; integer-like keys often. */
const stringPiece = (value: fc.Arbitrary<string>) =>
  fc.tuple(value, fc.boolean()).map(([string, escaped]) => ({
    text: escaped
      ? `"${string
          .split('')
          .map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
          .join('')}"`
      : JSON.stringify(string),
    compact: JSON.stringify(string),
    string,
  }));
const keyText = fc.oneof(
  fc.string({ maxLength: 5 }),
  fc.nat(3000).map(String),
  // No `constructor`: see asDoubles.
  fc.constantFrom('__proto__', '0', '01', '4294967295', '1e5', 'toString'),
);
const stringText = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom('1e5', ':100.10,', '"2024":', 'a3e4', '\\', '\u2028📈'),
);

const { value } = fc.letrec<{ value: Piece; object: Piece; array: Piece }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    numberLiteral.map((literal) => ({ text: literal, compact: literal, numbers: [literal] })),
    stringPiece(stringText).map(({ text, compact }) => ({ text, compact, numbers: [] })),
    fc.constantFrom('true', 'false', 'null').map((text) => ({ text, compact: text, numbers: [] })),
    tie('object'),
    tie('array'),
  ),
  object: fc
    .uniqueArray(fc.tuple(stringPiece(keyText), tie('value'), space, space, space), {
      maxLength: 5,
      selector: ([key]) => key.string,
    })
    .chain((members) =>
      space.map((end) => ({
        text: `{${members.map(([key, member, a, b, c]) => `${a}${key.text}${b}:${c}${member.text}`).join(',')}${end}}`,
        compact: `{${members.map(([key, member]) => `${key.compact}:${member.compact}`).join(',')}}`,
        numbers: members.flatMap(([, member]) => member.numbers),
      })),
    ),
  array: fc.array(fc.tuple(tie('value'), space, space), { maxLength: 5 }).map((items) => ({
    text: `[${items.map(([item, a, b]) => `${a}${item.text}${b}`).join(',')}]`,
    compact: `[${items.map(([item]) => item.compact).join(',')}]`,
    numbers: items.flatMap(([item]) => item.numbers),
  })),
}));
const record = fc.oneof(
  fc.tuple(value, space, space).map(([piece, before, after]) => ({
    ...piece,
    text: `[${before}${piece.text}${after}]`,
    compact: `[${piece.compact}]`,
  })),
  fc.tuple(value, space).map(([piece, before]) => ({
    ...piece,
    text: `{"r":${before}${piece.text}}`,
    compact: `{"r":${piece.compact}}`,
  })),
);

/** Whether a double, written back by String(), gives the literal: what JSON.parse keeps. */
function roundTrips(literal: string): boolean {
  const number = Number(literal);
  if (/^-?\d+$/.test(literal) && !Number.isSafeInteger(number)) return false;
  return String(number) === literal;
}

describe('parseJsonRecord, for any JSON record', () => {
  it('writes back through jsonText as the compact form of its text: numbers and key order kept', () => {
    fc.assert(
      fc.property(record, ({ text, compact }) => {
        expect(jsonText(parseJsonRecord(text))).toBe(compact);
        // Compact text is what the quick walk beside JSON.parse's value reads.
        expect(jsonText(parseJsonRecord(compact))).toBe(compact);
      }),
      { numRuns: 2_000 },
    );
  });

  it('deep-equals JSON.parse whenever every number round-trips, and up to exactness always', () => {
    fc.assert(
      fc.property(record, ({ text, numbers }) => {
        const parsed = parseJsonRecord(text);
        if (numbers.every(roundTrips)) expect(parsed).toStrictEqual(JSON.parse(text));
        expect(asDoubles(parsed)).toStrictEqual(asDoubles(JSON.parse(text)));
      }),
      { numRuns: 2_000 },
    );
  });

  it('deep-equals JSON.parse for what JSON.stringify writes, at any indentation', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 4 }),
        fc.constantFrom(undefined, 1, '\t'),
        (values, indent) => {
          const text = JSON.stringify(values, null, indent);
          expect(asDoubles(parseJsonRecord(text))).toStrictEqual(JSON.parse(text));
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
