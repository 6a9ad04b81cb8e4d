import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExportError } from '../errors.js';
import { exportErrorOf } from '../test-helpers/export-error-of.js';
import { bundledFontPaths } from './bundled-fonts.js';
import { normalizePdfOptions, type PdfStreamOptions } from './normalize-pdf-options.js';

function optionError(options: unknown): ExportError {
  return exportErrorOf(() => normalizePdfOptions(options as PdfStreamOptions));
}

describe('normalizePdfOptions', () => {
  it('applies the defaults: title Export, A4, auto orientation, zebra, 8 pt, DejaVu Sans', () => {
    const options = normalizePdfOptions();
    expect(options).toMatchObject({
      columns: undefined,
      title: 'Export',
      meta: [],
      author: undefined,
      pageSize: 'A4',
      orientation: 'auto',
      zebra: true,
      fontSize: 8,
    });
    expect(options.font.path).toBe(bundledFontPaths.regular);
    expect(options.boldFont.path).toBe(bundledFontPaths.bold);
    expect(options.font.data.length).toBeGreaterThan(100_000);
  });

  it('defaults generatedAt to now', () => {
    const before = Date.now();
    const { generatedAt } = normalizePdfOptions();
    expect(generatedAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(generatedAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('keeps the given values and normalizes the columns once', () => {
    const generatedAt = new Date('2024-05-01T12:00:00Z');
    const options = normalizePdfOptions({
      columns: ['id', { key: 'pnl', header: 'PnL', align: 'right', width: 60 }],
      title: 'Trades',
      meta: ['User: alice'],
      author: 'alice',
      generatedAt,
      pageSize: 'Letter',
      orientation: 'landscape',
      zebra: false,
      fontSize: 10,
    });
    expect(options.columns?.map((column) => [column.key, column.header, column.width])).toEqual([
      ['id', 'id', undefined],
      ['pnl', 'PnL', 60],
    ]);
    expect(options).toMatchObject({
      title: 'Trades',
      meta: ['User: alice'],
      author: 'alice',
      generatedAt,
      pageSize: 'Letter',
      orientation: 'landscape',
      zebra: false,
      fontSize: 10,
    });
    expect(Object.isFrozen(options)).toBe(true);
  });

  it.each([
    [{ pageSize: 'A3' }, 'option `pdf.pageSize` must be one of A4, Letter, got "A3"'],
    [
      { orientation: 'sideways' },
      'option `pdf.orientation` must be one of auto, portrait, landscape, got "sideways"',
    ],
    [{ fontSize: 4 }, 'option `pdf.fontSize` must be a number from 5 to 20, got 4'],
    [{ fontSize: 21 }, 'option `pdf.fontSize` must be a number from 5 to 20, got 21'],
    [{ fontSize: '8' }, 'option `pdf.fontSize` must be a number from 5 to 20, got "8"'],
    [{ zebra: 'yes' }, 'option `pdf.zebra` must be a boolean, got "yes"'],
    [{ title: 42 }, 'option `pdf.title` must be a string, got 42'],
    [{ author: null }, 'option `pdf.author` must be a string, got null'],
    [{ meta: 'User: alice' }, 'option `pdf.meta` must be an array of strings, got "User: alice"'],
    [{ meta: ['ok', 3] }, 'option `pdf.meta[1]` must be a string, got 3'],
    [
      { meta: Array.from({ length: 11 }, () => 'x') },
      'option `pdf.meta` must have at most 10 lines, got 11',
    ],
    [
      { generatedAt: '2024-05-01' },
      'option `pdf.generatedAt` must be a valid Date, got "2024-05-01"',
    ],
    [
      { generatedAt: new Date(Number.NaN) },
      'option `pdf.generatedAt` must be a valid Date, got an invalid Date',
    ],
    [
      { columns: [{ key: 'a', width: -1 }] },
      'option `columns[0].width` must be a positive number, got -1',
    ],
    [{ nullText: 0 }, 'option `nullText` must be a string, got 0'],
    [
      { measuredWidths: [] },
      'option `pdf.measuredWidths` must be an object of widths by column key, as measurePdfColumns returns it, got an array',
    ],
    [
      { measuredWidths: { price: { text: 0, number: -1, numbersOnly: true } } },
      'option `pdf.measuredWidths["price"].number` must be a number >= 0, got -1',
    ],
    [
      { measuredWidths: { price: { text: 0, number: 1 } } },
      'option `pdf.measuredWidths["price"].numbersOnly` must be a boolean, got undefined',
    ],
  ])('rejects %o with EXPORT_INVALID_OPTION naming the option', (options, message) => {
    const error = optionError(options);
    expect(error.code).toBe('EXPORT_INVALID_OPTION');
    expect(error.message).toBe(message);
  });

  it('takes nullText and timeZone as the columns’ defaults, as the CSV options do', () => {
    const options = normalizePdfOptions({
      columns: ['at'],
      nullText: 'n/a',
      timeZone: 'Europe/Istanbul',
    });
    expect(options.columnDefaults).toEqual({ nullText: 'n/a', timeZone: 'Europe/Istanbul' });
    expect(options.columns?.[0]).toMatchObject({ nullText: 'n/a', timeZone: 'Europe/Istanbul' });
  });

  it('takes measuredWidths by column key', () => {
    const price = { text: 0, number: 5_000, numbersOnly: true };
    expect(normalizePdfOptions({ measuredWidths: { price } }).measuredWidths?.get('price')).toEqual(
      price,
    );
  });

  it('rejects options that are not an object', () => {
    expect(optionError('A4').message).toBe('option `pdf` must be an object, got "A4"');
  });

  it('rejects empty columns with EXPORT_NO_COLUMNS, as normalizeColumns does', () => {
    expect(optionError({ columns: [] }).code).toBe('EXPORT_NO_COLUMNS');
  });

  it('rejects a font path that does not exist, naming pdf.font and keeping the cause', () => {
    const error = optionError({ font: '/nonexistent/Font.ttf' });
    expect(error.code).toBe('EXPORT_INVALID_OPTION');
    expect(error.message).toMatch(/^option `pdf\.font` must be the path of a readable font file/);
    expect(error.message).toContain('ENOENT');
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it('rejects a file that is not a font, naming pdf.boldFont', () => {
    const path = join(tmpdir(), `not-a-font-${process.pid}.ttf`);
    writeFileSync(path, 'hello, I am plain text and not a TrueType font');
    const error = optionError({ boldFont: path });
    rmSync(path);
    expect(error.code).toBe('EXPORT_INVALID_OPTION');
    expect(error.message).toMatch(/^option `pdf\.boldFont` must be a TrueType or OpenType font/);
  });

  it('rejects a font option that is not a string', () => {
    expect(optionError({ font: 12 }).message).toBe(
      'option `pdf.font` must be the path of a .ttf or .otf file, got 12',
    );
  });
});
