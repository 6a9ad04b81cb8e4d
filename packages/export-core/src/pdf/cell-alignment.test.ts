import { describe, expect, it } from 'vitest';
import { normalizeColumns } from '../columns/normalize-columns.js';
import { alignedX, cellAlignment } from './cell-alignment.js';

const [plain, centered] = normalizeColumns(['plain', { key: 'centered', align: 'center' }]);

describe('cellAlignment', () => {
  it.each([
    [42, 'right'],
    [10n, 'right'],
    ['42', 'left'],
    [true, 'left'],
    [null, 'left'],
  ])('puts %o %s when the column has no align', (value, alignment) => {
    expect(plain && cellAlignment(plain, value)).toBe(alignment);
  });

  it('follows the column’s align whatever the value', () => {
    expect(centered && cellAlignment(centered, 42)).toBe('center');
  });
});

describe('alignedX', () => {
  it('starts left text at the left edge, right text at right minus its width, centered between', () => {
    expect(alignedX('left', 10, 110, 20)).toBe(10);
    expect(alignedX('right', 10, 110, 20)).toBe(90);
    expect(alignedX('center', 10, 110, 20)).toBe(50);
  });
});
