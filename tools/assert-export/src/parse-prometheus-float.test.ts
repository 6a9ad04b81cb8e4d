import { describe, expect, it } from 'vitest';
import { parsePrometheusFloat } from './parse-prometheus-float.js';

describe('parsePrometheusFloat', () => {
  it.each([
    ['0', 0],
    ['42', 42],
    ['-0.5', -0.5],
    ['+3', 3],
    ['.5', 0.5],
    ['5.', 5],
    ['1.5e-3', 0.0015],
    ['2E+2', 200],
    ['1e10', 1e10],
    ['0.016849496000000273', 0.016849496000000273],
    ['+Inf', Number.POSITIVE_INFINITY],
    ['Inf', Number.POSITIVE_INFINITY],
    ['-Inf', Number.NEGATIVE_INFINITY],
    ['+infinity', Number.POSITIVE_INFINITY],
  ])('reads %s', (text, expected) => {
    expect(parsePrometheusFloat(text)).toBe(expected);
  });

  it('reads NaN in any case', () => {
    expect(parsePrometheusFloat('NaN')).toBeNaN();
    expect(parsePrometheusFloat('nan')).toBeNaN();
  });

  it.each(['', ' ', '1,5', '0x10', '1_000', 'e5', '1e', '--1', 'Infinite', 'abc', '1 2'])(
    'refuses %j, which Prometheus refuses too',
    (text) => {
      expect(parsePrometheusFloat(text)).toBeUndefined();
    },
  );
});
