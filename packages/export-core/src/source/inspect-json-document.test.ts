import { describe, expect, it } from 'vitest';
import { exportErrorOf } from '../test-helpers/export-error-of.js';
import { fromJsonArray } from './from-json-array.js';
import { inspectJsonDocument } from './inspect-json-document.js';

/** The inspection, with each member parsed from its range, as a caller would. */
function inspect(text: string | Uint8Array, recordsKey = 'records') {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const { members, records } = inspectJsonDocument(bytes, { recordsKey });
  const fields: Record<string, unknown> = {};
  for (const [key, { start, end }] of Object.entries(members)) {
    fields[key] = JSON.parse(Buffer.from(bytes).toString('utf8', start, end));
  }
  return records === undefined ? { fields } : { fields, records };
}

function inspectError(text: string, recordsKey = 'records') {
  return exportErrorOf(() => inspect(text, recordsKey));
}

describe('inspectJsonDocument', () => {
  it('parses every member but the records, and locates and counts the records', () => {
    const text = '{"meta":{"v":[1,2]},"records":[{"a":1},[2],{}],"total":3,"note":null}';
    expect(inspect(text)).toEqual({
      fields: { meta: { v: [1, 2] }, total: 3, note: null },
      records: { type: 'array', start: 30, end: 46, count: 3 },
    });
  });

  it('gives bytes that fromJsonArray reads as the records', async () => {
    const bytes = Buffer.from('\uFEFF{ "records" : [ {"a":1} , {"b":"Şü"} ] }');
    const { records } = inspect(bytes);
    if (records?.type !== 'array') throw new Error('expected a records array');
    const read: unknown[] = [];
    for await (const record of fromJsonArray(bytes.subarray(records.start, records.end))) {
      read.push(record);
    }
    expect(read).toEqual([{ a: 1 }, { b: 'Şü' }]);
  });

  it('counts an empty records array', () => {
    expect(inspect('{"records":[]}').records).toEqual({
      type: 'array',
      start: 11,
      end: 13,
      count: 0,
    });
  });

  it('leaves records out when there is no such member', () => {
    expect(inspect('{"rows":[{}]}')).toEqual({ fields: { rows: [{}] } });
    expect(inspect(' {} ')).toEqual({ fields: {} });
  });

  it.each([
    ['{}', 'object'],
    ['"x"', 'string'],
    ['-1.5', 'number'],
    ['false', 'boolean'],
    ['null', 'null'],
  ])('gives only the type of records that are %s', (value, type) => {
    expect(inspect(`{"records":${value},"a":1}`)).toEqual({ fields: { a: 1 }, records: { type } });
  });

  it('takes the last of duplicate keys, as JSON.parse does', () => {
    expect(inspect('{"a":1,"records":[{}],"b":2,"a":3,"records":[{},{}]}')).toEqual({
      fields: { a: 3, b: 2 },
      records: { type: 'array', start: 44, end: 51, count: 2 },
    });
    expect(inspect('{"records":[{}],"records":5}').records).toEqual({ type: 'number' });
  });

  it('decodes escaped keys, and finds the records key written with escapes', () => {
    expect(inspect('{"\\u0072ecords":[{}],"k\\u00e9y":"v"}')).toEqual({
      fields: { kéy: 'v' },
      records: { type: 'array', start: 16, end: 20, count: 1 },
    });
  });

  it('keeps keys such as constructor and toString as plain own members', () => {
    const { fields } = inspect('{"constructor":{"a":1},"toString":2,"hasOwnProperty":3}');
    expect(Object.keys(fields)).toEqual(['constructor', 'toString', 'hasOwnProperty']);
    expect(fields.constructor).toEqual({ a: 1 });
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
  });

  it('reads records nested 64 deep, and refuses a record at its 65th level with its row', () => {
    const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    expect(inspect(`{"records":[${deep(64)}]}`).records).toMatchObject({ count: 1 });
    expect(inspectError(`{"records":[{},${deep(100_000)}]}`)).toMatchObject({
      code: 'EXPORT_INVALID_RECORD',
      row: 1,
      offset: 15 + 64,
      message: 'record 1 is nested deeper than 64 levels (option `maxDepth`)',
    });
    const deepRecord = `{"records":[${deep(1000)}]}`;
    const options = { recordsKey: 'records', maxDepth: 1000 };
    expect(inspectJsonDocument(Buffer.from(deepRecord), options).records).toMatchObject({
      count: 1,
    });
  });

  it('refuses any other member nested past maxDepth below it, with the offset', () => {
    const error = inspectError(`{"records":[],"title":[${'['.repeat(70)}${']'.repeat(70)}]}`);
    expect(error).toMatchObject({
      code: 'EXPORT_INVALID_JSON',
      offset: 23 + 64,
      message: 'a value is nested deeper than 64 levels at byte 87 (option `maxDepth`)',
    });
  });

  it('inspects 22 million empty records in 64 MB without growing the heap', () => {
    const count = 22_000_000;
    const bytes = Buffer.alloc(13 + 3 * count, '{},');
    bytes.write('{"records":[', 0);
    bytes.write(']}', bytes.length - 2);
    const heapBefore = process.memoryUsage().heapUsed;
    const { records } = inspect(bytes);
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    expect(records).toEqual({ type: 'array', start: 11, end: bytes.length - 1, count });
    expect(heapGrowth).toBeLessThan(8 * 1024 * 1024);
  });

  describe('fails with EXPORT_INVALID_JSON', () => {
    it.each([
      ['[]', 'an array', 0],
      [' "x"', 'a string', 1],
      ['7', 'a number', 0],
      ['true', 'a boolean', 0],
      ['null', 'null', 0],
    ])('for %j, which is not an object', (text, got, offset) => {
      const error = inspectError(text);
      expect(error).toMatchObject({ name: 'ExportError', code: 'EXPORT_INVALID_JSON', offset });
      expect(error.message).toBe(`a JSON object was expected, got ${got}`);
    });

    it('for a syntax error in a member, with its offset', () => {
      const error = inspectError('{"a":[1,2,],"records":[]}');
      expect(error).toMatchObject({ code: 'EXPORT_INVALID_JSON', offset: 10 });
      expect(error.row).toBeUndefined();
      expect(error.message).toBe('not valid JSON at byte 10: expected a value, found `]`');
    });

    it('for a syntax error in a record, naming the record', () => {
      const error = inspectError('{"records":[{},{"a":01}]}');
      expect(error).toMatchObject({ code: 'EXPORT_INVALID_JSON', offset: 21, row: 1 });
      expect(error.message).toBe(
        'not valid JSON at byte 21: expected `,` or `}`, found `1` (in record 1)',
      );
    });

    it('for a syntax error after the records', () => {
      const error = inspectError('{"records":[{}],"b":[1 2]}');
      expect(error).toMatchObject({ offset: 23 });
      expect(error.row).toBeUndefined();
    });

    it('for a truncated document, at offset = its length', () => {
      expect(inspectError('{"a":1')).toMatchObject({
        code: 'EXPORT_INVALID_JSON',
        offset: 6,
        message: 'the JSON ends before the object is closed',
      });
      expect(inspectError('{"records":[{},{"a":')).toMatchObject({
        offset: 20,
        row: 1,
        message: 'the JSON ends before the object is closed (in record 1)',
      });
    });

    it('for anything but whitespace after the object', () => {
      expect(inspectError('{} {}')).toMatchObject({ code: 'EXPORT_INVALID_JSON', offset: 3 });
    });

    it.each([
      '{"__proto__":{"polluted":true}}',
      '{"a":{"__proto__":1}}',
      '{"records":[{"x":{"__proto__":1}}]}',
      '{"constructor":{"prototype":{"polluted":true}}}',
    ])('for %s, which could pollute a prototype', (text) => {
      const error = inspectError(text);
      expect(error.code).toBe('EXPORT_INVALID_JSON');
      expect(error.message).toContain('must not have a `__proto__` or `constructor.prototype` key');
    });
  });

  describe('fails with EXPORT_INVALID_RECORD', () => {
    it.each([
      ['1', 'a number'],
      ['"x"', 'a string'],
      ['true', 'a boolean'],
      ['null', 'null'],
    ])('for a record that is %s, naming it and its type', (element, got) => {
      const error = inspectError(`{"records":[{},[],${element}]}`);
      expect(error).toMatchObject({ name: 'ExportError', code: 'EXPORT_INVALID_RECORD', row: 2 });
      expect(error.message).toBe(`record 2 must be a JSON object or array, got ${got}`);
    });

    it('only for the last records array, as JSON.parse would keep it', () => {
      expect(inspect('{"records":[1],"records":[{}]}').records).toMatchObject({ count: 1 });
      expect(inspectError('{"records":[{}],"records":[{},2]}').row).toBe(1);
    });

    it('only once the whole document is valid JSON', () => {
      expect(inspectError('{"records":[1],"a":}').code).toBe('EXPORT_INVALID_JSON');
    });

    it('only for the records array, not for other members', () => {
      expect(inspect('{"a":[1,"x"],"records":[{}]}').fields).toEqual({ a: [1, 'x'] });
    });
  });

  it('rejects a recordsKey that is not a string with EXPORT_INVALID_OPTION', () => {
    const error = exportErrorOf(() =>
      inspectJsonDocument(Buffer.from('{}'), { recordsKey: 5 as unknown as string }),
    );
    expect(error).toMatchObject({
      code: 'EXPORT_INVALID_OPTION',
      message: 'option `recordsKey` must be a string, got 5',
    });
  });
});

describe('inspectJsonDocument and UTF-8', () => {
  it('fails with EXPORT_INVALID_UTF8 naming the offset of the first bad byte', () => {
    const bytes = Buffer.concat([Buffer.from('{"a":"caf'), Buffer.from([0xe9]), Buffer.from('"}')]);
    const error = exportErrorOf(() => inspectJsonDocument(bytes, { recordsKey: 'records' }));
    expect(error).toMatchObject({
      code: 'EXPORT_INVALID_UTF8',
      offset: 9,
      message: 'byte 9 is not valid UTF-8 (bodies must be UTF-8)',
    });
  });

  it('checks the records too, and still accepts a byte order mark', () => {
    const bad = Buffer.concat([
      Buffer.from('{"records":[{"a":"'),
      Buffer.from([0xed, 0xa0, 0x80]),
      Buffer.from('"}]}'),
    ]);
    expect(exportErrorOf(() => inspect(bad))).toMatchObject({
      code: 'EXPORT_INVALID_UTF8',
      offset: 18,
    });
    expect(inspect('\uFEFF{"records":[]}').records).toEqual({
      type: 'array',
      start: 14,
      end: 16,
      count: 0,
    });
  });
});
