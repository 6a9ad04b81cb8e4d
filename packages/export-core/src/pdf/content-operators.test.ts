import { describe, expect, it } from 'vitest';
import { pdfNumber } from './content-operators.js';

describe('pdfNumber', () => {
  it.each([
    [12, '12'],
    [841.89, '841.89'],
    [12.3456, '12.35'],
    [0.005, '0.01'],
    [-0.001, '0'],
    [1e-9, '0'],
    [123456.789, '123456.79'],
  ])('writes %d as %s: two decimals at most, no exponent, no -0', (value, text) => {
    expect(pdfNumber(value)).toBe(text);
  });
});
