import { describe, expect, it } from 'vitest';
import { exportErrorOf } from '../test-helpers/export-error-of.js';
import { assertPdfTableCanFit } from './assert-pdf-table-can-fit.js';

const keys = (count: number) => Array.from({ length: count }, (_, index) => `c${index}`);

describe('assertPdfTableCanFit', () => {
  it('passes columns that can fit at their least width', () => {
    expect(() => assertPdfTableCanFit(keys(30))).not.toThrow();
  });

  it('fails 1,000 columns with EXPORT_TABLE_TOO_WIDE naming how many fit', () => {
    const error = exportErrorOf(() => assertPdfTableCanFit(keys(1000)));
    expect(error.code).toBe('EXPORT_TABLE_TOO_WIDE');
    expect(error.message).toMatch(
      /the table's 1000 columns need at least .* pt across, .*the first \d+ fit/,
    );
  });

  it('counts a column width as given', () => {
    expect(() => assertPdfTableCanFit([{ key: 'a', width: 2000 }])).toThrow(
      /1 columns need at least 2000 pt/,
    );
  });

  it('follows the page options, and validates them', () => {
    expect(() => assertPdfTableCanFit(keys(60), { fontSize: 5 })).not.toThrow();
    expect(exportErrorOf(() => assertPdfTableCanFit(keys(2), { fontSize: 50 })).code).toBe(
      'EXPORT_INVALID_OPTION',
    );
  });
});
