import { describe, expect, it } from 'vitest';
import { exportErrorOf } from '../test-helpers/export-error-of.js';
import { normalizeXlsxOptions } from './normalize-xlsx-options.js';
import { sheetNameAt } from './sheet-names.js';

describe('normalizeXlsxOptions', () => {
  it('applies the defaults', () => {
    const options = normalizeXlsxOptions();
    expect(options).toMatchObject({
      columns: undefined,
      columnDefaults: { timeZone: 'UTC', nullText: '' },
      sheetName: undefined,
      title: undefined,
      author: undefined,
      maxRowsPerSheet: 1_048_576,
    });
    expect(options.generatedAt).toBeInstanceOf(Date);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['not an object', [] as unknown as Record<string, unknown>, /^option `xlsx` must be an object/],
    ['a title that is not a string', { title: 5 }, /^option `xlsx.title` must be a string, got 5/],
    ['an author that is not a string', { author: {} }, /^option `xlsx.author` must be a string/],
    ['a sheet name with a slash', { sheetName: 'a/b' }, /^option `xlsx.sheetName` must be 1 to 31/],
    ['a sheet name of 32 characters', { sheetName: 'x'.repeat(32) }, /xlsx.sheetName/],
    ['a sheet name that starts with a quote', { sheetName: "'x" }, /xlsx.sheetName/],
    ['an empty sheet name', { sheetName: '' }, /xlsx.sheetName/],
    ['an invalid generatedAt', { generatedAt: new Date(Number.NaN) }, /an invalid Date/],
    ['more rows per sheet than Excel holds', { maxRowsPerSheet: 1_048_577 }, /from 2 to 1048576/],
    ['a sheet of the header only', { maxRowsPerSheet: 1 }, /xlsx.maxRowsPerSheet/],
    ['a bad time zone', { timeZone: 'Mars/Olympus' }, /option `timeZone` must be an IANA/],
  ])('refuses %s with EXPORT_INVALID_OPTION', (_name, options, message) => {
    const error = exportErrorOf(() => normalizeXlsxOptions(options));
    expect(error.code).toBe('EXPORT_INVALID_OPTION');
    expect(error.message).toMatch(message);
  });

  it('refuses more than 16,384 columns before any row', () => {
    const columns = Array.from({ length: 16_385 }, (_, index) => `c${index}`);
    expect(exportErrorOf(() => normalizeXlsxOptions({ columns })).code).toBe(
      'EXPORT_TABLE_TOO_WIDE',
    );
  });
});

describe('sheetNameAt', () => {
  it('numbers the default names, and suffixes a given one, within 31 characters', () => {
    expect([0, 1, 2].map((index) => sheetNameAt(undefined, index))).toEqual([
      'Sheet1',
      'Sheet2',
      'Sheet3',
    ]);
    expect(sheetNameAt('Trades', 1)).toBe('Trades (2)');
    expect(sheetNameAt('x'.repeat(31), 9)).toBe(`${'x'.repeat(26)} (10)`);
  });
});
