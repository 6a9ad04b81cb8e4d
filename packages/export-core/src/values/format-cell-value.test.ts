import { describe, expect, it } from 'vitest';
import { formatCellValue } from './format-cell-value.js';

describe('formatCellValue', () => {
  it.each<[string, unknown, string]>([
    ['null as empty', null, ''],
    ['undefined as empty', undefined, ''],
    ['a string as itself', 'ACME Corp', 'ACME Corp'],
    ['an integer', 42, '42'],
    ['a float', -0.125, '-0.125'],
    ['NaN in JavaScript spelling', Number.NaN, 'NaN'],
    ['Infinity in JavaScript spelling', Number.POSITIVE_INFINITY, 'Infinity'],
    ['-Infinity in JavaScript spelling', Number.NEGATIVE_INFINITY, '-Infinity'],
    ['true', true, 'true'],
    ['false', false, 'false'],
    ['a bigint as its digits', 12345678901234567890n, '12345678901234567890'],
    [
      'a Date as ISO 8601 UTC',
      new Date(Date.UTC(2026, 10, 28, 9, 30, 0, 5)),
      '2026-11-28T09:30:00.005Z',
    ],
    ['an invalid Date as empty', new Date(Number.NaN), ''],
    ['an object as JSON', { side: 'buy', qty: 3 }, '{"side":"buy","qty":3}'],
    ['an array as JSON', [1, 'a', null], '[1,"a",null]'],
    [
      'a bigint inside an object as a JSON number',
      { n: 12345678901234567890n },
      '{"n":12345678901234567890}',
    ],
    ['a function as empty', () => 1, ''],
    ['a symbol as empty', Symbol('s'), ''],
  ])('writes %s', (_name, value, text) => {
    expect(formatCellValue(value)).toBe(text);
  });

  it('throws for a circular object', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => formatCellValue(circular)).toThrow(TypeError);
  });
});
