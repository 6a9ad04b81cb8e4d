import { describe, expect, it } from 'vitest';
import { exportErrorOf } from '../test-helpers/export-error-of.js';
import { describeJsonKind, type JsonScanEvent, JsonScanner } from './json-scanner.js';

interface ScannedEvent {
  event: JsonScanEvent;
  depth: number;
  kind: string;
  start: number;
  end?: number;
}

function bytesOf(text: string | Uint8Array): Uint8Array {
  return typeof text === 'string' ? new TextEncoder().encode(text) : text;
}

/** Every event of a scan of `chunks`, the `end` left out of `start` events. */
function scan(
  chunks: Array<string | Uint8Array>,
  elementDepth = 1,
  namesRecords = false,
): ScannedEvent[] {
  const scanner = new JsonScanner({ elementDepth });
  scanner.namesRecords = namesRecords;
  const events: ScannedEvent[] = [];
  const record = (event: JsonScanEvent) => {
    const { depth, kind, start, end } = scanner;
    if (event === 'start') events.push({ event, depth, kind, start });
    else if (event === 'key') events.push({ event, depth, kind: 'key', start, end });
    else events.push({ event, depth, kind, start, end });
  };
  for (const chunk of chunks) {
    scanner.push(bytesOf(chunk));
    for (let event = scanner.next(); event !== undefined; event = scanner.next()) record(event);
  }
  const last = scanner.finish();
  if (last !== undefined) record(last);
  return events;
}

/** The text cut into chunks at every given byte offset. */
function split(text: string | Uint8Array, cuts: number[]): Uint8Array[] {
  const bytes = bytesOf(text);
  const edges = [0, ...cuts, bytes.length];
  return edges.slice(1).map((end, k) => bytes.subarray(edges[k], end));
}

function byteByByte(text: string | Uint8Array): Uint8Array[] {
  const bytes = bytesOf(text);
  return Array.from({ length: bytes.length }, (_, k) => bytes.subarray(k, k + 1));
}

function scanError(chunks: Array<string | Uint8Array>, elementDepth = 1, namesRecords = false) {
  return exportErrorOf(() => scan(chunks, elementDepth, namesRecords));
}

function recordError(text: string) {
  return scanError([text], 1, true);
}

const forbiddenKey = 'must not have a `__proto__` or `constructor.prototype` key';

// One of every token kind, escapes and multi-byte characters included.
const everyToken =
  '\uFEFF [ {"id": -12.5e+3, "name": "Ş\\u00fck\\"rü 📈 €", "tags": [true, false, null]},' +
  ' [0, 1E-2, 7, "\\\\\\/\\b\\f\\n\\r\\t"], {}, [] ]\r\n';

describe('JsonScanner', () => {
  it('accepts every kind of top-level value', () => {
    for (const text of ['{}', '[]', '"x"', '0', '-0.5e-7', 'true', 'false', 'null']) {
      expect(() => scan([text]), text).not.toThrow();
    }
  });

  it('reports the start and end of the top-level value and the end of each element', () => {
    expect(scan(['[ {"a":1}, 2 ,"x"]'])).toEqual([
      { event: 'start', depth: 0, kind: 'array', start: 0 },
      { event: 'end', depth: 1, kind: 'object', start: 2, end: 9 },
      { event: 'end', depth: 1, kind: 'number', start: 11, end: 12 },
      { event: 'end', depth: 1, kind: 'string', start: 14, end: 17 },
      { event: 'end', depth: 0, kind: 'array', start: 0, end: 18 },
    ]);
  });

  it('reports keys and member starts above the element depth, and nothing below it', () => {
    expect(scan(['{"a": [1, {"b": 2}], "c": null}'], 2)).toEqual([
      { event: 'start', depth: 0, kind: 'object', start: 0 },
      { event: 'key', depth: 1, kind: 'key', start: 1, end: 4 },
      { event: 'start', depth: 1, kind: 'array', start: 6 },
      { event: 'end', depth: 2, kind: 'number', start: 7, end: 8 },
      { event: 'end', depth: 2, kind: 'object', start: 10, end: 18 },
      { event: 'end', depth: 1, kind: 'array', start: 6, end: 19 },
      { event: 'key', depth: 1, kind: 'key', start: 21, end: 24 },
      { event: 'start', depth: 1, kind: 'null', start: 26 },
      { event: 'end', depth: 1, kind: 'null', start: 26, end: 30 },
      { event: 'end', depth: 0, kind: 'object', start: 0, end: 31 },
    ]);
  });

  it('ends a top-level number at finish()', () => {
    expect(scan(['12', '3'], 0)).toEqual([
      { event: 'end', depth: 0, kind: 'number', start: 0, end: 3 },
    ]);
  });

  it('skips a leading byte order mark, counting its bytes in the offsets', () => {
    expect(scan(['\uFEFF[]'])).toEqual([
      { event: 'start', depth: 0, kind: 'array', start: 3 },
      { event: 'end', depth: 0, kind: 'array', start: 3, end: 5 },
    ]);
  });

  it('gives the same events wherever the chunks are cut, byte by byte included', () => {
    const whole = scan([everyToken]);
    const length = bytesOf(everyToken).length;
    for (let cut = 0; cut <= length; cut += 1) {
      expect(scan(split(everyToken, [cut])), `cut at ${cut}`).toEqual(whole);
    }
    expect(scan(byteByByte(everyToken))).toEqual(whole);
    expect(scan(['', everyToken, ''])).toEqual(whole);
  });

  it('accepts every string escape, and any \\u escape, lone surrogates included', () => {
    expect(() =>
      scan(['["\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041 \\uD800 \\udFfF"]']),
    ).not.toThrow();
  });

  it('accepts DEL and every valid UTF-8 character in a string', () => {
    expect(() => scan(['"\u007f é € 𝄞 \u{10ffff} \ud7ff \ue000"'])).not.toThrow();
  });

  it('accepts nesting 1000 deep, and far deeper', () => {
    for (const depth of [1000, 100_000]) {
      const text = `${'['.repeat(depth)}${']'.repeat(depth)}`;
      expect(scan([text]).at(-1)).toEqual({
        event: 'end',
        depth: 0,
        kind: 'array',
        start: 0,
        end: 2 * depth,
      });
    }
    const objects = `${'{"a":'.repeat(1000)}1${'}'.repeat(1000)}`;
    expect(() => scan(byteByByte(objects))).not.toThrow();
  });

  describe('refuses, with EXPORT_INVALID_JSON and the offset of the offending byte,', () => {
    it.each([
      ['[1,]', 3, 'expected a value, found `]`'],
      ['[1 2]', 3, 'expected `,` or `]`, found `2`'],
      ['{"a":1 "b":2}', 7, 'expected `,` or `}`, found `"`'],
      ['{"a" 1}', 5, 'expected `:`, found `1`'],
      ['{1:2}', 1, 'expected a key or `}`, found `1`'],
      ['{"a":1,}', 7, 'expected a key, found `}`'],
      ['{"a":1]', 6, 'expected `,` or `}`, found `]`'],
      ['[1}', 2, 'expected `,` or `]`, found `}`'],
      ['[x]', 1, 'expected a value or `]`, found `x`'],
      ["['a']", 1, "expected a value or `]`, found `'`"],
      ['[] []', 3, 'expected the end of the JSON, found `[`'],
      ['01', 1, 'expected the end of the JSON, found `1`'],
      ['[-]', 2, 'expected a digit, found `]`'],
      ['[1.]', 3, 'expected a digit, found `]`'],
      ['[.5]', 1, 'expected a value or `]`, found `.`'],
      ['[+1]', 1, 'expected a value or `]`, found `+`'],
      ['[1e]', 3, 'expected a digit or a sign, found `]`'],
      ['[1e+]', 4, 'expected a digit, found `]`'],
      ['[1.5.2]', 4, 'expected `,` or `]`, found `.`'],
      ['[0x1]', 2, 'expected `,` or `]`, found `x`'],
      ['[tru]', 4, 'expected `true`, found `]`'],
      ['[nul1]', 4, 'expected `null`, found `1`'],
      ['[True]', 1, 'expected a value or `]`, found `T`'],
      ['["\\x"]', 3, 'expected one of `"` `\\` `/` `b` `f` `n` `r` `t` `u` after `\\`, found `x`'],
      ['["\\u12G4"]', 6, 'expected a hex digit in `\\uXXXX`, found `G`'],
      [
        '["a\tb"]',
        3,
        'expected a character of a string, found control character 0x09 (it must be escaped)',
      ],
      ['[\u000b1]', 1, 'expected a value or `]`, found byte 0x0b'],
      ['[\u00a01]', 1, 'expected a value or `]`, found byte 0xc2'],
    ])('%j at byte %i', (text, offset, detail) => {
      const error = scanError([text], 0);
      expect(error).toMatchObject({ name: 'ExportError', code: 'EXPORT_INVALID_JSON', offset });
      expect(error.message).toBe(`not valid JSON at byte ${offset}: ${detail}`);
    });
  });

  it('refuses every raw control character in a string', () => {
    for (let byte = 0; byte < 0x20; byte += 1) {
      const error = scanError([new Uint8Array([0x22, byte, 0x22])]);
      expect(error).toMatchObject({ code: 'EXPORT_INVALID_JSON', offset: 1 });
      expect(error.message).toContain('control character');
    }
  });

  it.each([
    ['a lone continuation byte', [0x80]],
    ['an overlong two-byte form', [0xc0, 0x80]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['a byte that is never UTF-8', [0xff]],
    ['a character cut short by the closing quote', [0xe2, 0x82]],
  ])('takes %s in a string as content, leaving UTF-8 to its caller', (_name, content) => {
    const bytes = new Uint8Array([0x5b, 0x22, ...content, 0x22, 0x5d]);
    for (const chunks of [[bytes], byteByByte(bytes)]) expect(() => scan(chunks)).not.toThrow();
  });

  it('refuses a byte order mark cut short, or anywhere but at the start', () => {
    expect(scanError([new Uint8Array([0xef, 0xbb, 0x5b, 0x5d])])).toMatchObject({
      code: 'EXPORT_INVALID_JSON',
      offset: 0,
    });
    expect(scanError([' \uFEFF[]']).offset).toBe(1);
  });

  it('finds the same error wherever the chunks are cut', () => {
    const text = '[{"a":"Şü"}, {"b":[1, 2.5e3, tru]}]';
    const whole = scanError([text]);
    expect(whole.offset).toBe(bytesOf(text).indexOf(0x5d));
    for (let cut = 0; cut <= bytesOf(text).length; cut += 1) {
      const error = scanError(split(text, [cut]));
      expect({ message: error.message, offset: error.offset }).toEqual({
        message: whole.message,
        offset: whole.offset,
      });
    }
  });

  describe('names the record of an error inside an element, once namesRecords is on,', () => {
    it('with row and "(in record i)"', () => {
      const error = recordError('[{"a":1}, {"a":x}]');
      expect(error).toMatchObject({ code: 'EXPORT_INVALID_JSON', offset: 15, row: 1 });
      expect(error.message).toBe(
        'not valid JSON at byte 15: expected a value, found `x` (in record 1)',
      );
    });

    it('where an element should begin', () => {
      expect(recordError('[{}, ]').row).toBe(1);
      expect(recordError('[?]').row).toBe(0);
    });

    it('inside a scalar element', () => {
      expect(recordError('[1, "a\nb"]').row).toBe(1);
    });

    it('at a forbidden key', () => {
      expect(recordError('[{}, {"__proto__":1}]')).toMatchObject({ row: 1, offset: 6 });
    });

    it('at the end of the JSON', () => {
      expect(recordError('[{}, {"a":[1')).toMatchObject({
        row: 1,
        message: 'the JSON ends before the array is closed (in record 1)',
      });
    });

    it('but not between elements', () => {
      const error = recordError('[{} {}]');
      expect(error.row).toBeUndefined();
      expect(error.message).toBe('not valid JSON at byte 4: expected `,` or `]`, found `{`');
    });

    it('and never while it is off', () => {
      const error = scanError(['[{"a":x}]']);
      expect(error.row).toBeUndefined();
      expect(error.message).not.toContain('record');
    });
  });

  describe('at the end of the JSON', () => {
    it.each([
      ['[{"a":[1', 'the JSON ends before the array is closed'],
      ['[{}, ', 'the JSON ends before the array is closed'],
      ['{"a":', 'the JSON ends before the object is closed'],
      ['"abc', 'the JSON ends before its value is complete'],
      ['-', 'the JSON ends before its value is complete'],
      ['1e', 'the JSON ends before its value is complete'],
      ['nul', 'the JSON ends before its value is complete'],
      ['', 'the JSON is empty'],
      [' \n\t\r ', 'the JSON is empty'],
      ['\uFEFF', 'the JSON is empty'],
    ])('refuses %j, at offset = its length', (text, message) => {
      const error = scanError(byteByByte(text));
      expect(error).toMatchObject({
        code: 'EXPORT_INVALID_JSON',
        offset: bytesOf(text).length,
        message,
      });
    });
  });

  describe('refuses keys that pollute prototypes, as secure-json-parse does', () => {
    it.each([
      ['{"__proto__":{}}', 1],
      ['{"a":[{"b":1,"__proto__":null}]}', 13],
      ['{"\\u005f\\u005Fproto__":1}', 1],
      ['{"__pr\\u006fto__":1}', 1],
      ['{"constructor":{"prototype":{}}}', 16],
      ['{"constructor" : {"a":1, "prot\\u006Ftype":1}}', 25],
      ['[{"x":{"constructor":{"prototype":1}}}]', 22],
    ])('%s at byte %i', (text, offset) => {
      for (const chunks of [[text], byteByByte(text)]) {
        const error = scanError(chunks, 0);
        expect(error).toMatchObject({ code: 'EXPORT_INVALID_JSON', offset });
        expect(error.message).toContain(forbiddenKey);
      }
    });

    it('wherever the chunks are cut', () => {
      const text = '{"a":1,"constructor":{"b":2,"prototype":3}}';
      for (let cut = 0; cut <= text.length; cut += 1) {
        for (let second = cut; second <= text.length; second += 3) {
          expect(scanError(split(text, [cut, second])).offset).toBe(28);
        }
      }
    });

    it.each([
      '{"prototype":1}',
      '{"constructor":1,"prototype":2}',
      '{"constructor":{"a":{"prototype":1}}}',
      '{"constructor":[{"prototype":1}]}',
      '[{"constructor":"x"},{"prototype":1}]',
      '{"constructor":{},"x":{"prototype":1}}',
      '{"a":"__proto__","__proto_":1,"___proto__":2,"constructors":{"prototype":3}}',
      '{"__proto__\\u0000":1,"\\u005f":2}',
    ])('but accepts %s', (text) => {
      expect(() => scan([text], 0)).not.toThrow();
      expect(() => scan(byteByByte(text), 0)).not.toThrow();
    });
  });

  it('refuses a chunk pushed before the previous one is scanned, with EXPORT_INTERNAL', () => {
    const scanner = new JsonScanner();
    scanner.push(bytesOf('[{}]'));
    scanner.next();
    expect(exportErrorOf(() => scanner.push(bytesOf(' '))).code).toBe('EXPORT_INTERNAL');
  });

  it('refuses a bad elementDepth with EXPORT_INVALID_OPTION', () => {
    const error = exportErrorOf(() => new JsonScanner({ elementDepth: -1 }));
    expect(error).toMatchObject({
      code: 'EXPORT_INVALID_OPTION',
      message: 'option `elementDepth` must be an integer >= 0, got -1',
    });
  });

  it('names JSON types for messages', () => {
    expect(
      ['object', 'array', 'string', 'number', 'boolean', 'null'].map((kind) =>
        describeJsonKind(kind as never),
      ),
    ).toEqual(['an object', 'an array', 'a string', 'a number', 'a boolean', 'null']);
  });
});
