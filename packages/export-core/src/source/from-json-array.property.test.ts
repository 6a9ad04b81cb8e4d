import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExportError } from '../errors.js';
import { fromJsonArray } from './from-json-array.js';
import { inspectJsonDocument } from './inspect-json-document.js';
import { asDoubles } from './test-helpers/as-doubles.js';

/** JSON.parse's verdict, with secure-json-parse's: the value, or undefined when refused. */
function reference(text: string): { value: unknown } | undefined {
  let forbidden = false;
  let value: unknown;
  try {
    // A byte order mark is skipped by the scanner, never by JSON.parse.
    value = JSON.parse(text.replace(/^\uFEFF/, ''), (key, member: unknown) => {
      const isObject = member !== null && typeof member === 'object' && !Array.isArray(member);
      if (
        key === '__proto__' ||
        (key === 'constructor' && isObject && Object.hasOwn(member, 'prototype'))
      ) {
        forbidden = true;
      }
      return member;
    });
  } catch {
    return undefined;
  }
  return forbidden ? undefined : { value };
}

function isContainer(value: unknown): value is object {
  return value !== null && typeof value === 'object';
}

/** The text cut at the given fractions of its length, as UTF-8 chunks or as text chunks. */
function chunksOf(text: string, cuts: number[], asText: boolean): Array<string | Uint8Array> {
  const whole: string | Uint8Array = asText ? text : new TextEncoder().encode(text);
  const edges = [...new Set(cuts.map((cut) => Math.floor(cut * whole.length)))].sort(
    (a, b) => a - b,
  );
  return [0, ...edges].map((start, k) => whole.slice(start, edges[k] ?? whole.length));
}

async function readRecords(chunks: Array<string | Uint8Array>) {
  const records: unknown[] = [];
  try {
    for await (const record of fromJsonArray(
      (async function* source() {
        yield* chunks;
      })(),
    )) {
      // Exact numbers as JSON.parse has them (parse-json-record.property.test.ts checks them).
      records.push(asDoubles(record));
    }
  } catch (error) {
    if (error instanceof ExportError) return { records, code: error.code };
    throw error;
  }
  return { records };
}

const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 });
const whitespace = fc.constantFrom(undefined, 0, 1, 2, '\t', '\r\n ');

// Records: objects and arrays of any JSON, keys with quotes, escapes and non-ASCII included.
const record = fc.oneof(
  fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), fc.jsonValue({ maxDepth: 3 })),
  fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 4 }),
);

// Near-JSON: the tokens JSON is made of, valid and broken, so that a string is often almost valid.
const token = fc.constantFrom(
  ...['[', ']', '{', '}', ',', ':', '"', '\\', ' ', '\n', '\t', '\r', '\u000b', '\u00a0'],
  ...['"a"', '"records"', '"__proto__"', '"\\u005f_proto__"', '"Şü📈"', '"\\u00e9"', '"\\x"'],
  ...[
    '"\u0001"',
    '"\u001f"',
    '"\\ud83d"',
    '0',
    '1',
    '-',
    '+',
    '.',
    'e',
    'E',
    '07',
    '-0.5e+3',
    '1E',
    '.5',
  ],
  ...['true', 'false', 'null', 'tru', 'nul', 'x', 'é', '\uFEFF', '{}', '[]', '{"a":1}', '[{}]'],
);
const tokenSoup = fc.array(token, { maxLength: 24 }).map((tokens) => tokens.join(''));
const validText = fc
  .tuple(fc.jsonValue({ maxDepth: 3 }), whitespace)
  .map(([value, space]) => JSON.stringify(value, null, space));
const mutatedText = fc
  .tuple(
    validText,
    fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(3), token), {
      minLength: 1,
      maxLength: 3,
    }),
  )
  .map(([text, edits]) =>
    edits.reduce((edited, [where, deleted, inserted]) => {
      const at = Math.floor(where * edited.length);
      return edited.slice(0, at) + inserted + edited.slice(at + deleted);
    }, text),
  );
const nearJson = fc.oneof(tokenSoup, validText, mutatedText);

describe('fromJsonArray', () => {
  it('yields exactly the elements JSON.parse finds, however the chunks are cut', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(record, { maxLength: 6 }),
        whitespace,
        fc.boolean(),
        cuts,
        fc.boolean(),
        async (records, space, bom, at, asText) => {
          const text = (bom ? '\uFEFF' : '') + JSON.stringify(records, null, space);
          const outcome = await readRecords(chunksOf(text, at, asText));
          const expected = reference(text);
          if (expected === undefined) {
            // fast-check's dictionaries can have a `__proto__` key, which must be refused.
            expect(outcome.code).toBe('EXPORT_INVALID_JSON');
          } else {
            expect(outcome).toEqual({ records: expected.value });
          }
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('accepts exactly the arrays of objects and arrays JSON.parse accepts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          nearJson,
          nearJson.map((text) => `[${text}]`),
        ),
        cuts,
        async (text, at) => {
          const outcome = await readRecords(chunksOf(text, at, false));
          const expected = reference(text);
          const accepted =
            expected !== undefined &&
            Array.isArray(expected.value) &&
            expected.value.every(isContainer);
          if (accepted) {
            expect(outcome).toEqual({ records: expected.value });
          } else {
            expect(['EXPORT_INVALID_JSON', 'EXPORT_INVALID_RECORD']).toContain(outcome.code);
          }
          if (expected !== undefined && !Array.isArray(expected.value)) {
            expect(outcome.code).toBe('EXPORT_INVALID_JSON');
          }
        },
      ),
      { numRuns: 3_000 },
    );
  });
});

describe('inspectJsonDocument', () => {
  it('accepts exactly the objects JSON.parse accepts, and describes them as it would', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          nearJson,
          nearJson.map((text) => `{"records":[${text}]}`),
        ),
        (text) => {
          const bytes = Buffer.from(text);
          let outcome: ReturnType<typeof inspectJsonDocument> | ExportError;
          try {
            outcome = inspectJsonDocument(bytes, { recordsKey: 'records' });
          } catch (error) {
            if (!(error instanceof ExportError)) throw error;
            outcome = error;
          }
          const expected = reference(text);
          const value = expected?.value;
          if (value === undefined || !isContainer(value) || Array.isArray(value)) {
            expect(outcome).toMatchObject({ code: 'EXPORT_INVALID_JSON' });
            return;
          }
          const { records, ...fields } = value as Record<string, unknown>;
          if (Array.isArray(records) && !records.every(isContainer)) {
            expect(outcome).toMatchObject({ code: 'EXPORT_INVALID_RECORD' });
            return;
          }
          if (outcome instanceof ExportError) throw outcome;
          const parsedMembers = Object.fromEntries(
            Object.entries(outcome.members).map(([key, { start, end }]) => [
              key,
              JSON.parse(Buffer.from(bytes).toString('utf8', start, end)),
            ]),
          );
          expect(parsedMembers).toEqual(fields);
          if (!Object.hasOwn(value, 'records')) {
            expect(outcome.records).toBeUndefined();
          } else if (Array.isArray(records)) {
            expect(outcome.records).toMatchObject({ type: 'array', count: records.length });
            if (outcome.records?.type !== 'array') throw new Error('expected a records array');
            const slice = bytes.subarray(outcome.records.start, outcome.records.end);
            expect(JSON.parse(slice.toString())).toEqual(records);
          } else {
            const type = records === null ? 'null' : typeof records;
            expect(outcome.records).toEqual({ type });
          }
        },
      ),
      { numRuns: 3_000 },
    );
  });
});
