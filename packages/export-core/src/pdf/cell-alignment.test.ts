import { describe, expect, it } from 'vitest';
import { normalizeColumns } from '../columns/normalize-columns.js';
import { defined } from '../test-helpers/defined.js';
import { ExactNumber } from '../values/exact-number.js';
import { alignedX, cellAlignment, headerAlignment, isNumberContent } from './cell-alignment.js';

const [plain, centered, decimal, text] = normalizeColumns([
  'plain',
  { key: 'centered', align: 'center' },
  { key: 'decimal', type: 'decimal' },
  { key: 'text', type: 'text' },
]).map((column) => defined(column));

describe('cellAlignment', () => {
  it.each([
    [42, 'right'],
    [10n, 'right'],
    [new ExactNumber('100.10'), 'right'],
    ['42', 'left'],
    [true, 'left'],
    [null, 'left'],
  ])('puts %o %s when the column has no type and no align', (value, alignment) => {
    expect(cellAlignment(defined(plain), value)).toBe(alignment);
  });

  it('follows the column’s type when it has one: a numeric string in a decimal column sits right', () => {
    expect(cellAlignment(defined(decimal), '1234.50')).toBe('right');
    expect(cellAlignment(defined(decimal), null)).toBe('right');
    expect(cellAlignment(defined(text), 42)).toBe('left');
  });

  it('follows the column’s align whatever the value', () => {
    expect(cellAlignment(defined(centered), 42)).toBe('center');
  });
});

describe('headerAlignment', () => {
  it('sits right over a number column: by type, else when every value measured is a number', () => {
    expect(headerAlignment(defined(decimal), false)).toBe('right');
    expect(headerAlignment(defined(text), true)).toBe('left');
    expect(headerAlignment(defined(plain), true)).toBe('right');
    expect(headerAlignment(defined(plain), false)).toBe('left');
    expect(headerAlignment(defined(centered), true)).toBe('center');
  });
});

describe('isNumberContent', () => {
  it('is a present number, or any present value of a numeric column; null is text', () => {
    expect(isNumberContent(defined(plain), 1.5)).toBe(true);
    expect(isNumberContent(defined(plain), '1.5')).toBe(false);
    expect(isNumberContent(defined(decimal), '1.5')).toBe(true);
    expect(isNumberContent(defined(decimal), null)).toBe(false);
  });
});

describe('alignedX', () => {
  it('starts left text at the left edge, right text at right minus its width, centered between', () => {
    expect(alignedX('left', 10, 110, 20)).toBe(10);
    expect(alignedX('right', 10, 110, 20)).toBe(90);
    expect(alignedX('center', 10, 110, 20)).toBe(50);
  });
});
