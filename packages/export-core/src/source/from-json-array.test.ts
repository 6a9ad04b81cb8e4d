import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ExportError } from '../errors.js';
import { exportRejectionOf } from '../test-helpers/export-error-of.js';
import { ExactNumber } from '../values/exact-number.js';
import { type FromJsonArrayOptions, fromJsonArray } from './from-json-array.js';
import { keysInSourceOrder } from './source-key-order.js';

/** A Uint8Array as it is, an array of chunks as a Readable, a generator as it is (pulled lazily). */
type Source = Uint8Array | Array<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

async function collect(source: Source, options?: FromJsonArrayOptions) {
  const records: unknown[] = [];
  const input = Array.isArray(source) ? Readable.from(source) : source;
  for await (const record of fromJsonArray(input, options)) records.push(record);
  return records;
}

function failure(source: Source, options?: FromJsonArrayOptions): Promise<ExportError> {
  return exportRejectionOf(() => collect(source, options));
}

function byteByByte(text: string): Buffer[] {
  const bytes = Buffer.from(text);
  return Array.from({ length: bytes.length }, (_, k) => bytes.subarray(k, k + 1));
}

describe('fromJsonArray', () => {
  it('yields the elements of a top-level array, objects and arrays', async () => {
    expect(await collect(['[{"id":1},{"id":2,"tags":["a"]},[3,null]]'])).toEqual([
      { id: 1 },
      { id: 2, tags: ['a'] },
      [3, null],
    ]);
  });

  it('reads a Uint8Array whole', async () => {
    expect(await collect(Buffer.from(' [ {"a":1} , {"b":2} ] \n'))).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('yields nothing for an empty array', async () => {
    expect(await collect(['[]'])).toEqual([]);
    expect(await collect([' [ \n ] '])).toEqual([]);
  });

  it('joins a record split across chunks, byte by byte and inside multi-byte characters', async () => {
    const text = '[{"city":"İstanbul","note":"Şükrü 📈","n":-1.5e3},{"city":"Αθήνα"},[true,false]]';
    expect(await collect(byteByByte(text))).toEqual([
      { city: 'İstanbul', note: 'Şükrü 📈', n: new ExactNumber('-1.5e3') },
      { city: 'Αθήνα' },
      [true, false],
    ]);
  });

  it('encodes text chunks as UTF-8, keeping a surrogate pair split between chunks', async () => {
    const text = '[{"emoji":"📈"}]';
    const cut = text.indexOf('📈') + 1;
    expect(await collect([text.slice(0, cut), text.slice(cut)])).toEqual([{ emoji: '📈' }]);
  });

  it('skips a UTF-8 byte order mark at the start', async () => {
    expect(await collect(['\uFEFF[{"a":1}]'])).toEqual([{ a: 1 }]);
    expect(await collect(byteByByte('\uFEFF[{"a":1}]'))).toEqual([{ a: 1 }]);
  });

  it('decodes unicode escapes', async () => {
    expect(await collect(['[{"k\\u00e9y":"\\u0041\\ud83d\\udcc8\\n"}]'])).toEqual([
      { kéy: 'A📈\n' },
    ]);
  });

  it('reads records nested 64 deep, and deeper ones up to maxDepth', async () => {
    const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    expect(await collect([`[${deep(64)},{"a":1}]`])).toEqual([JSON.parse(deep(64)), { a: 1 }]);
    expect(await collect([`[${deep(1000)}]`], { maxDepth: 1000 })).toEqual([
      JSON.parse(deep(1000)),
    ]);
    expect(await collect([`[${deep(10_000)}]`], { maxDepth: Infinity })).toHaveLength(1);
  });

  it('fails with EXPORT_INVALID_RECORD at the first container past maxDepth, naming the record', async () => {
    const records: unknown[] = [];
    const error = await exportRejectionOf(async () => {
      // 100,000 levels: refused at level 65, before the rest is read.
      const text = `[{"a":1},{"deep":${'['.repeat(100_000)}${']'.repeat(100_000)}}]`;
      for await (const record of fromJsonArray(Buffer.from(text))) records.push(record);
    });
    expect(records).toEqual([{ a: 1 }]);
    expect(error).toMatchObject({
      code: 'EXPORT_INVALID_RECORD',
      row: 1,
      offset: 17 + 63,
      message: 'record 1 is nested deeper than 64 levels (option `maxDepth`)',
    });
    expect(await failure(['[{"a":{"b":[1]}}]'], { maxDepth: 2 })).toMatchObject({
      code: 'EXPORT_INVALID_RECORD',
      row: 0,
      message: 'record 0 is nested deeper than 2 levels (option `maxDepth`)',
    });
    expect(await collect(['[{"a":{"b":1}}]'], { maxDepth: 2 })).toEqual([{ a: { b: 1 } }]);
  });

  it.each([0, -1, 1.5, Number.NaN, '64'])('refuses maxDepth %s', async (maxDepth) => {
    const error = await failure(['[]'], { maxDepth: maxDepth as number });
    expect(error.code).toBe('EXPORT_INVALID_OPTION');
    expect(error.message).toMatch(/^option `maxDepth` must be an integer >= 1 or Infinity, got /);
  });

  it('yields each record as soon as it is complete, before the next chunk is read', async () => {
    const pulled: number[] = [];
    async function* chunks() {
      pulled.push(1);
      yield '[{"a":1},{"a"';
      pulled.push(2);
      yield ':2}]';
    }
    const records = fromJsonArray(chunks());
    expect((await records.next()).value).toEqual({ a: 1 });
    expect(pulled).toEqual([1]);
    expect((await records.next()).value).toEqual({ a: 2 });
    expect(pulled).toEqual([1, 2]);
  });

  it('yields the records before a syntax error, then fails', async () => {
    const records: unknown[] = [];
    const error = await exportRejectionOf(async () => {
      for await (const record of fromJsonArray(Readable.from(['[{"a":1},{"a":2},{"a":}]']))) {
        records.push(record);
      }
    });
    expect(records).toEqual([{ a: 1 }, { a: 2 }]);
    expect(error).toMatchObject({ code: 'EXPORT_INVALID_JSON', row: 2, offset: 22 });
  });

  describe('fails with EXPORT_INVALID_JSON', () => {
    it.each([
      ['{}', 'an object', 0],
      [' 5', 'a number', 1],
      ['"x"', 'a string', 0],
      ['true', 'a boolean', 0],
      ['null', 'null', 0],
    ])('for %j, which is not an array', async (text, got, offset) => {
      const error = await failure([text]);
      expect(error).toMatchObject({ name: 'ExportError', code: 'EXPORT_INVALID_JSON', offset });
      expect(error.message).toBe(`a JSON array of records was expected, got ${got}`);
    });

    it('for an object, before reading the rest of it', async () => {
      let pulled = 0;
      async function* chunks() {
        for (;;) {
          pulled += 1;
          yield pulled === 1 ? '{' : '"a":1,';
        }
      }
      expect((await exportRejectionOf(() => collect(chunks()))).offset).toBe(0);
      expect(pulled).toBe(1);
    });

    it('for a syntax error in a record, naming the record, its byte and what was expected', async () => {
      const error = await failure(['[{"a":1},\n {"a":tru}]']);
      expect(error).toMatchObject({ code: 'EXPORT_INVALID_JSON', row: 1, offset: 19 });
      expect(error.message).toBe(
        'not valid JSON at byte 19: expected `true`, found `}` (in record 1)',
      );
    });

    it('for a syntax error between records, without a row', async () => {
      const error = await failure(['[{"a":1} {"a":2}]']);
      expect(error).toMatchObject({ code: 'EXPORT_INVALID_JSON', offset: 9 });
      expect(error.row).toBeUndefined();
      expect(error.message).toBe('not valid JSON at byte 9: expected `,` or `]`, found `{`');
    });

    it('for the same error, at the same byte, however the chunks are cut', async () => {
      const text = '[{"a":"Şü"},{"b":[1,2]},{"c":"\\q"}]';
      const whole = await failure([text]);
      expect(whole).toMatchObject({ row: 2, offset: 33 });
      for (const chunks of [byteByByte(text), [text.slice(0, 14), text.slice(14)]]) {
        const error = await failure(chunks);
        expect([error.message, error.offset, error.row]).toEqual([
          whole.message,
          whole.offset,
          whole.row,
        ]);
      }
    });

    it('for a truncated document, at offset = its length', async () => {
      for (const text of ['[{"a":1}', '[{"a":1},', '[{"a":"x', '[']) {
        const error = await failure([text]);
        expect(error).toMatchObject({
          code: 'EXPORT_INVALID_JSON',
          offset: Buffer.byteLength(text),
        });
        expect(error.message).toMatch(/^the JSON ends before the array is closed/);
      }
      expect((await failure(['[{"a":1},{"b":'])).row).toBe(1);
    });

    it('for an empty document', async () => {
      expect(await failure([])).toMatchObject({ offset: 0, message: 'the JSON is empty' });
      expect(await failure(['  \n'])).toMatchObject({ offset: 3, message: 'the JSON is empty' });
    });

    it('for anything but whitespace after the array, once its records are yielded', async () => {
      const records: unknown[] = [];
      const error = await exportRejectionOf(async () => {
        for await (const record of fromJsonArray(Readable.from(['[{"a":1}] \n', ',']))) {
          records.push(record);
        }
      });
      expect(records).toEqual([{ a: 1 }]);
      expect(error).toMatchObject({
        code: 'EXPORT_INVALID_JSON',
        offset: 11,
        message: 'not valid JSON at byte 11: expected the end of the JSON, found `,`',
      });
    });

    it('for a `__proto__` key, naming the record', async () => {
      const error = await failure(['[{"a":1},{"b":{"__proto__":{"polluted":true}}}]']);
      expect(error).toMatchObject({ code: 'EXPORT_INVALID_JSON', row: 1, offset: 15 });
      expect(error.message).toContain('must not have a `__proto__` or `constructor.prototype` key');
    });

    it('for a `constructor.prototype` key', async () => {
      const error = await failure(['[{"constructor":{"prototype":{}}}]']);
      expect(error).toMatchObject({ code: 'EXPORT_INVALID_JSON', row: 0, offset: 17 });
    });
  });

  describe('fails with EXPORT_INVALID_RECORD', () => {
    it.each([
      ['1', '1'],
      ['"x"', '"x"'],
      ['null', 'null'],
      ['false', 'false'],
      ['-2.5e1', '-25'],
    ])('for a record that is %s, not an object or array', async (element, got) => {
      const error = await failure([`[{"a":1},${element}]`]);
      expect(error).toMatchObject({ name: 'ExportError', code: 'EXPORT_INVALID_RECORD', row: 1 });
      expect(error.message).toBe(`record 1 must be a JSON object or array, got ${got}`);
    });

    it('for a record longer than maxRecordBytes', async () => {
      const error = await failure(['[{"a":1},{"a":"0123456789"}]'], { maxRecordBytes: 10 });
      expect(error).toMatchObject({ code: 'EXPORT_INVALID_RECORD', row: 1 });
      expect(error.message).toBe('record 1 is longer than 10 bytes (option `maxRecordBytes`)');
    });

    it('before holding more than maxRecordBytes of a record split across chunks', async () => {
      let pulled = 0;
      async function* chunks() {
        yield '[{"ok":1},["';
        while (pulled < 10_000) {
          pulled += 1;
          yield 'x'.repeat(100);
        }
      }
      const error = await exportRejectionOf(() => collect(chunks(), { maxRecordBytes: 1_000 }));
      expect(error).toMatchObject({ code: 'EXPORT_INVALID_RECORD', row: 1 });
      expect(pulled).toBeLessThan(20);
    });

    it('but accepts a record of exactly maxRecordBytes', async () => {
      const record = '{"a":"0123456789"}';
      expect(await collect([`[${record}]`], { maxRecordBytes: record.length })).toHaveLength(1);
      expect(
        await collect(byteByByte(`[${record}]`), { maxRecordBytes: record.length }),
      ).toHaveLength(1);
    });
  });

  it.each([0, -1, 1.5, Number.NaN, '10'])(
    'rejects maxRecordBytes %j with EXPORT_INVALID_OPTION',
    async (maxRecordBytes) => {
      const error = await failure(['[]'], { maxRecordBytes: maxRecordBytes as number });
      expect(error.code).toBe('EXPORT_INVALID_OPTION');
      expect(error.message).toMatch(/^option `maxRecordBytes` must be an integer >= 1, got /);
    },
  );
});

describe('fromJsonArray, exactly', () => {
  it('keeps numbers a double would change, and the key order of each record', async () => {
    const text =
      '[{"orderId":1234567890123456789,"px":100.10},\n {"name":1,"2024":2,"2023":3,"id":4}]';
    for (const chunks of [[text], byteByByte(text)]) {
      const [first, second] = await collect(chunks);
      expect(first).toEqual({ orderId: 1234567890123456789n, px: new ExactNumber('100.10') });
      expect(second).toEqual({ name: 1, 2024: 2, 2023: 3, id: 4 });
      expect(keysInSourceOrder(second as object)).toEqual(['name', '2024', '2023', 'id']);
    }
  });

  it('fails with EXPORT_INVALID_UTF8 naming the record and the offset of the first bad byte', async () => {
    const bytes = Buffer.concat([
      Buffer.from('[{"a":1},{"a":"caf'),
      Buffer.from([0xe9]),
      Buffer.from('"},{"a":3}]'),
    ]);
    for (const source of [bytes, [bytes], Array.from(bytes, (byte) => Buffer.from([byte]))]) {
      const error = await failure(source);
      expect(error).toMatchObject({ code: 'EXPORT_INVALID_UTF8', row: 1, offset: 18 });
      expect(error.message).toBe(
        'record 1 is not valid UTF-8: byte 18 starts an invalid sequence (JSON must be UTF-8)',
      );
    }
  });

  it('yields the records before one that is not UTF-8', async () => {
    const bytes = Buffer.concat([
      Buffer.from('\uFEFF[{"a":1},["'),
      Buffer.from([0xc0, 0x80, 0x22, 0x5d, 0x5d]),
    ]);
    const records: unknown[] = [];
    const error = await exportRejectionOf(async () => {
      for await (const record of fromJsonArray(bytes)) records.push(record);
    });
    expect(records).toEqual([{ a: 1 }]);
    expect(error).toMatchObject({ code: 'EXPORT_INVALID_UTF8', row: 1, offset: 14 });
  });
});
