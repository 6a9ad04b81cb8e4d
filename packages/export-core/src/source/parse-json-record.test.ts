import { describe, expect, it } from 'vitest';
import { ExactNumber } from '../values/exact-number.js';
import { jsonText } from '../values/json-text.js';
import { JsonTooDeepError, parseJsonRecord } from './parse-json-record.js';
import { keysInSourceOrder } from './source-key-order.js';

function exact(text: string): ExactNumber {
  return new ExactNumber(text);
}

describe('parseJsonRecord', () => {
  describe('maxDepth', () => {
    const arrays = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    // The fast walk, the walk stopped by an escape, the walk finding a lossy number (exact
    // parser), and nesting past the walk's own depth: every path measures the same depth.
    const shapes: Array<[string, (levels: number) => string]> = [
      ['plain', arrays],
      ['with an escape', (levels) => `{"s":"\\n","a":${arrays(levels - 1)}}`],
      ['with a lossy number', (levels) => `{"n":100.10,"a":${arrays(levels - 1)}}`],
      ['with an integer-like key', (levels) => `{"2024":1,"a":${arrays(levels - 1)}}`],
    ];

    it.each(shapes)('accepts a value exactly maxDepth deep (%s)', (_shape, text) => {
      for (const maxDepth of [1, 2, 31, 32, 33, 64]) {
        if (maxDepth === 1 && _shape !== 'plain') continue;
        expect(() => parseJsonRecord(text(maxDepth), maxDepth)).not.toThrow();
      }
    });

    it.each(shapes)('throws JsonTooDeepError one level past it (%s)', (_shape, text) => {
      for (const maxDepth of [1, 2, 31, 32, 33, 64]) {
        const deeper = () => parseJsonRecord(text(maxDepth + 1), maxDepth);
        expect(deeper).toThrow(JsonTooDeepError);
        expect(deeper).toThrow(`nested deeper than ${maxDepth} levels`);
      }
    });

    it('has no limit by default', () => {
      expect(parseJsonRecord(arrays(10_000))).toHaveLength(1);
    });
  });

  it('keeps an integer beyond 2^53 as a bigint of its exact digits', () => {
    expect(parseJsonRecord('{"orderId":1234567890123456789}')).toEqual({
      orderId: 1234567890123456789n,
    });
    expect(parseJsonRecord('[-9007199254740993]')).toEqual([-9007199254740993n]);
  });

  it.each([
    ['a fraction ending in 0', '100.10'],
    ['1.0', '1.0'],
    ['an exponent a double writes otherwise', '1e21'],
    ['an uppercase exponent', '1E+2'],
    ['an exponent beyond a double', '1e400'],
    ['minus zero', '-0'],
    ['minus zero with a fraction', '-0.0'],
    ['a fraction below 1e-6 written out', '0.0000001'],
    ['17 significant digits', '0.30000000000000004444'],
  ])('keeps %s (%s) as an ExactNumber of its text', (_name, literal) => {
    expect(parseJsonRecord(`{"n":${literal}}`)).toEqual({ n: exact(literal) });
    expect(parseJsonRecord(`[${literal}]`)).toEqual([exact(literal)]);
  });

  it.each([
    ['0.1', 0.1],
    ['1.5', 1.5],
    ['-0.5', -0.5],
    ['123456789012345', 123456789012345],
    ['9007199254740991', 9007199254740991],
    ['0.000001', 0.000001],
    ['1e+21', 1e21],
    ['1.5e-7', 1.5e-7],
  ])('keeps %s a number, as a double writes it back the same', (literal, number) => {
    expect(parseJsonRecord(`{"n":${literal}}`)).toEqual({ n: number });
    expect(parseJsonRecord(`{"a":1.0,"n":${literal}}`)).toEqual({ a: exact('1.0'), n: number });
  });

  it('keeps numbers exact wherever they are: nested, first in an array, between whitespace', () => {
    const text =
      '{ "a" : [ 100.10 ,\n\t[1e400], {"b": {"c" :-0}}],\r\n "d":[[12345678901234567890]] }';
    expect(parseJsonRecord(text)).toEqual({
      a: [exact('100.10'), [exact('1e400')], { b: { c: exact('-0') } }],
      d: [[12345678901234567890n]],
    });
  });

  it('keeps the key order of the text, integer-like keys included', () => {
    const record = parseJsonRecord('{"name":1,"2024":2,"2023":3,"id":4}') as object;
    expect(record).toEqual({ name: 1, 2024: 2, 2023: 3, id: 4 });
    expect(keysInSourceOrder(record)).toEqual(['name', '2024', '2023', 'id']);
  });

  it('keeps the key order of nested objects and of keys written with escapes', () => {
    const record = parseJsonRecord('[{"x":{"b":1,"\\u0031":2},"0":[{"z":0,"7":1}]}]') as [
      Record<string, unknown>,
    ];
    const [first] = record;
    expect(keysInSourceOrder(first)).toEqual(['x', '0']);
    expect(keysInSourceOrder(first.x as object)).toEqual(['b', '1']);
    expect(keysInSourceOrder((first['0'] as object[])[0] as object)).toEqual(['z', '7']);
  });

  it('gives a duplicate key its last value at the place of its first, as JSON.parse does', () => {
    const text = '{"b":1,"2":2,"a":3,"b":4,"2":5}';
    const record = parseJsonRecord(text) as object;
    expect(record).toEqual(JSON.parse(text));
    expect(keysInSourceOrder(record)).toEqual(['b', '2', 'a']);
    expect(parseJsonRecord('{"a":1.0,"a":2}')).toEqual({ a: 2 });
  });

  it('makes a `__proto__` key an own property, as JSON.parse does', () => {
    const record = parseJsonRecord('{"__proto__":{"polluted":1.0},"1":2}') as Record<
      string,
      unknown
    >;
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(Object.hasOwn(record, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(record, '__proto__')?.value).toEqual({
      polluted: exact('1.0'),
    });
    expect(keysInSourceOrder(record)).toEqual(['__proto__', '1']);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('reads strings with escapes, and number-like text inside strings, as strings', () => {
    const text =
      '{"s":"a\\"b\\\\c\\u00e9\\n","t":"x:1e5,","u":",100.10]","2024":"2024\\":1","v":"a3e4","w":1.0}';
    expect(parseJsonRecord(text)).toEqual({
      ...JSON.parse(text),
      w: exact('1.0'),
    });
  });

  it('leaves a record without such numbers or keys exactly as JSON.parse makes it', () => {
    const text =
      '{"id":1,"timestamp":"2026-01-01T00:00:01.000Z","value":4729.26,"category":"category_1"}';
    const record = parseJsonRecord(text) as object;
    expect(record).toStrictEqual(JSON.parse(text));
    expect(keysInSourceOrder(record)).toEqual(['id', 'timestamp', 'value', 'category']);
  });

  it('parses nesting as deep as JSON.parse does', () => {
    const depth = 100_000;
    const text = `${'[{"a":'.repeat(depth)}1.0${'}]'.repeat(depth)}`;
    let value = parseJsonRecord(text);
    for (let level = 0; level < depth; level += 1) value = (value as [{ a: unknown }])[0].a;
    expect(value).toEqual(exact('1.0'));
  });

  it('writes back, through jsonText, the exact text it read', () => {
    const text = '{"name":"x","2024":[100.10,1e400,-0,1234567890123456789],"id":{"9":0.1,"a":{}}}';
    expect(jsonText(parseJsonRecord(text))).toBe(text);
  });

  it('keeps a top-level number exact too', () => {
    expect(parseJsonRecord(' 1e400 ')).toEqual(exact('1e400'));
    expect(parseJsonRecord('12')).toBe(12);
  });

  it('throws the SyntaxError of JSON.parse for invalid text', () => {
    expect(() => parseJsonRecord('{"a":1.0,}')).toThrow(SyntaxError);
  });
});
