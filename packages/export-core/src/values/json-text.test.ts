import { describe, expect, it } from 'vitest';
import { rememberKeyOrder } from '../source/source-key-order.js';
import { ExactNumber } from './exact-number.js';
import { jsonText } from './json-text.js';

describe('jsonText', () => {
  it('writes what JSON.stringify writes for plain values', () => {
    const value = { a: [1, 'x', null, true], b: { c: -0.5 }, d: undefined, e: new Date(0) };
    expect(jsonText(value)).toBe(JSON.stringify(value));
  });

  it('writes bigints and ExactNumbers as the numbers they are', () => {
    expect(jsonText({ id: 1234567890123456789n, px: new ExactNumber('100.10') })).toBe(
      '{"id":1234567890123456789,"px":100.10}',
    );
  });

  it('keeps the key order a parser recorded', () => {
    const nested = { y: 1, 10: 2 };
    rememberKeyOrder(nested, ['y', '10']);
    expect(jsonText({ nested })).toBe('{"nested":{"y":1,"10":2}}');
  });

  it('throws a TypeError for a circular value', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => jsonText(circular)).toThrow(TypeError);
  });
});
