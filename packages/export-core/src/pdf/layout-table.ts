import { type ColumnWidthInput, columnWidthBounds, fitColumnWidths, sum } from './column-widths.js';
import type { PdfOrientation, PdfPageSize } from './normalize-pdf-options.js';
import { type PageGeometry, type PageOrientation, pageGeometry } from './page-geometry.js';
import { tableTooWide } from './table-too-wide.js';

/** Sizes that follow the font size, in points. */
export interface TableMetrics {
  readonly fontSize: number;
  readonly rowHeight: number;
  readonly cellPadding: number;
  /** Bounds on a measured column's natural width (not on a `columns[i].width`). */
  readonly minColumnWidth: number;
  readonly maxColumnWidth: number;
  /** The band above the bottom margin that holds "Page N of M". */
  readonly footerHeight: number;
}

export function tableMetrics(fontSize: number): TableMetrics {
  return {
    fontSize,
    rowHeight: fontSize * 1.75,
    cellPadding: fontSize * 0.5,
    minColumnWidth: fontSize * 4,
    maxColumnWidth: fontSize * 30,
    footerHeight: fontSize * 2.5,
  };
}

/** `auto` turns the page when the natural widths do not fit across a portrait one. */
export function chooseOrientation(
  option: PdfOrientation,
  naturalWidths: readonly number[],
  pageSize: PdfPageSize,
): PageOrientation {
  if (option !== 'auto') return option;
  return sum(naturalWidths) > pageGeometry(pageSize, 'portrait').usableWidth
    ? 'landscape'
    : 'portrait';
}

export interface TableLayoutInput {
  readonly pageSize: PdfPageSize;
  readonly orientation: PdfOrientation;
  readonly fontSize: number;
  /** Per column, what was measured of it and its `width` option, in points. */
  readonly columns: readonly ColumnWidthInput[];
}

export interface TableLayout {
  readonly page: PageGeometry;
  readonly metrics: TableMetrics;
  readonly columnLefts: readonly number[];
  readonly columnWidths: readonly number[];
  readonly tableWidth: number;
  /** The lowest a row may reach before the footer band. */
  readonly tableBottom: number;
}

/**
 * Sizes the columns and turns the page (`auto`) so that every number shows at full size where it
 * can, and no column is under its minimum. A table whose minimum widths do not fit across the
 * page fails here, before any page, with EXPORT_TABLE_TOO_WIDE.
 */
export function layoutTable(input: TableLayoutInput): TableLayout {
  const metrics = tableMetrics(input.fontSize);
  const bounds = input.columns.map((column) => columnWidthBounds(column, metrics));
  const page = pageGeometry(
    input.pageSize,
    chooseOrientation(
      input.orientation,
      bounds.map((bound) => bound.natural),
      input.pageSize,
    ),
  );
  const fixed = input.columns.map((column) => column.fixed !== undefined);
  const columnWidths = fitColumnWidths(bounds, fixed, page.usableWidth);
  if (columnWidths === undefined) {
    throw tableTooWide({
      minimumWidths: bounds.map((bound) => bound.minimum),
      page,
      pageSize: input.pageSize,
      fontSize: input.fontSize,
      anyFixed: fixed.includes(true),
    });
  }
  const columnLefts: number[] = [];
  let left = page.left;
  for (const width of columnWidths) {
    columnLefts.push(left);
    left += width;
  }
  return Object.freeze({
    page,
    metrics,
    columnLefts,
    columnWidths,
    tableWidth: left - page.left,
    tableBottom: page.bottom + metrics.footerHeight,
  });
}
