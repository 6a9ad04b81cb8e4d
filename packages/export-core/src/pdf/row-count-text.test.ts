import { describe, expect, it } from 'vitest';
import { rowCountText } from './row-count-text.js';

describe('rowCountText', () => {
  it.each([
    [0, '0 rows'],
    [1, '1 row'],
    [2, '2 rows'],
    [999, '999 rows'],
    [1234, '1,234 rows'],
    [1_000_000, '1,000,000 rows'],
  ])('writes %i as "%s", grouping thousands with commas', (count, text) => {
    expect(rowCountText(count)).toBe(text);
  });
});
