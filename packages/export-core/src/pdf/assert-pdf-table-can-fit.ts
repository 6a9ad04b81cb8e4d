import type { ColumnsOption } from '../columns/column-types.js';
import { normalizeColumns } from '../columns/normalize-columns.js';
import { layoutTable } from './layout-table.js';
import { normalizePdfPageOptions, type PdfStreamOptions } from './normalize-pdf-options.js';

/**
 * Fails with EXPORT_TABLE_TOO_WIDE, as the PDF stream would before its first page, when these
 * columns cannot fit across the page whatever their values hold: each at its least width (a
 * letter and "…", or its `width`). For a caller that can refuse an export before reading its
 * records, such as a job queue at submission. Passing it does not promise the export fits: wide
 * numbers in the records may still need more room.
 */
export function assertPdfTableCanFit(
  columns: ColumnsOption,
  options: Pick<PdfStreamOptions, 'pageSize' | 'orientation' | 'fontSize'> = {},
): void {
  const { pageSize, orientation, fontSize } = normalizePdfPageOptions(options);
  layoutTable({
    pageSize,
    orientation,
    fontSize,
    columns: normalizeColumns(columns).map((column) => ({
      header: 0,
      text: 0,
      number: 0,
      numbersOnly: false,
      fixed: column.width,
    })),
  });
}
