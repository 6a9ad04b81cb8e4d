import { describe, expect, it } from 'vitest';
import { jsonParseLosesNothing } from './json-parse-loses-nothing.js';

function verdict(text: string): boolean | undefined {
  return jsonParseLosesNothing(text, JSON.parse(text) as object);
}

describe('jsonParseLosesNothing', () => {
  it.each([
    '{"id":1,"timestamp":"2026-01-01T00:00:01.000Z","value":4729.26,"ok":true,"no":null}',
    '{ "a" : [ 1 , -0.5 , { "b" : "x" } ] ,\n\t"c" : false }\n',
    '[{"a":[]},{},"Şü📈",123456789012345,0.000001]',
    '{"__proto__":1,"x":{"y":{"z":[0]}}}',
  ])('is true when nothing is lost: %s', (text) => {
    expect(verdict(text)).toBe(true);
  });

  it.each([
    '{"a":100.10}',
    '{"a":1e5}',
    '{"a":[-0]}',
    '{"a":{"b":0.0000001}}',
    '{"a":1234567890123456}',
  ])('is false for a number a double writes otherwise: %s', (text) => {
    expect(verdict(text)).toBe(false);
  });

  it.each([
    ['an escape', '{"a":"\\n"}'],
    ['a key that may be an array index', '{"name":1,"2024":2}'],
    ['a duplicate key', '{"a":1,"a":2}'],
    ['a duplicate key with a value of the same length', '{"a":"xy","b":1,"a":"zw"}'],
    ['nesting deeper than 32', `${'['.repeat(40)}${']'.repeat(40)}`],
  ])('is undefined for what it does not read: %s', (_name, text) => {
    expect(verdict(text)).toBeUndefined();
  });
});
