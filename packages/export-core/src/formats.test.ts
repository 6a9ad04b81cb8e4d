import { describe, expect, it } from 'vitest';
import { ExportError } from './errors.js';
import { assertExportFormat, exportFormats, isExportFormat } from './formats.js';

describe('export formats', () => {
  it('are csv, pdf and xlsx', () => {
    expect(exportFormats).toEqual(['csv', 'pdf', 'xlsx']);
  });

  it('recognizes a supported format', () => {
    expect(isExportFormat('csv')).toBe(true);
    expect(isExportFormat('CSV')).toBe(false);
    expect(assertExportFormat('pdf')).toBe('pdf');
  });

  it('rejects an unsupported format with EXPORT_UNSUPPORTED_FORMAT naming the option', () => {
    expect(() => assertExportFormat('ods')).toThrowError(
      expect.objectContaining({
        name: 'ExportError',
        code: 'EXPORT_UNSUPPORTED_FORMAT',
        message: 'option `format` must be one of csv, pdf, xlsx, got "ods"',
      }),
    );
    expect(() => assertExportFormat(undefined)).toThrowError(ExportError);
  });
});
