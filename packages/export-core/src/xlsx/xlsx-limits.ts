import { ExportError } from '../errors.js';

/** What Excel's file format holds (Excel's "specifications and limits"). */
export const xlsxLimits = Object.freeze({
  /** Rows of one sheet, the header included: more go on to the next sheet. */
  maxRowsPerSheet: 1_048_576,
  /** Columns of one sheet (A to XFD): more fail with EXPORT_TABLE_TOO_WIDE. */
  maxColumns: 16_384,
  /** Characters of one cell: a longer text is cut with "…" and counted in `truncatedCells`. */
  maxCellLength: 32_767,
});

export function assertXlsxColumnCount(count: number): void {
  if (count <= xlsxLimits.maxColumns) return;
  throw new ExportError(
    'EXPORT_TABLE_TOO_WIDE',
    `the table has ${count} columns, and an XLSX sheet holds at most ${xlsxLimits.maxColumns.toLocaleString('en-US')}`,
  );
}
