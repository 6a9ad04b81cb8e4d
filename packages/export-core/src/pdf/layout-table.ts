import type { PdfOrientation, PdfPageSize } from './normalize-pdf-options.js';

export type PageOrientation = 'portrait' | 'landscape';

/** Width and height in points, portrait. */
const portraitSizes: Readonly<Record<PdfPageSize, readonly [number, number]>> = {
  A4: [595.28, 841.89],
  Letter: [612, 792],
};

/** Half an inch on every side. */
export const pageMargin = 36;

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

/** A page in PDF coordinates: origin bottom-left, y up. */
export interface PageGeometry {
  readonly orientation: PageOrientation;
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
  readonly usableWidth: number;
}

export function pageGeometry(pageSize: PdfPageSize, orientation: PageOrientation): PageGeometry {
  const [short, long] = portraitSizes[pageSize];
  const width = orientation === 'portrait' ? short : long;
  const height = orientation === 'portrait' ? long : short;
  return {
    orientation,
    width,
    height,
    left: pageMargin,
    right: width - pageMargin,
    top: height - pageMargin,
    bottom: pageMargin,
    usableWidth: width - 2 * pageMargin,
  };
}

/**
 * Each column's width before fitting it to a page: its `width` option when given, otherwise its
 * widest measured text plus padding, kept between the metrics' bounds so that one long value
 * does not take the page and a one-letter column stays readable.
 */
export function naturalColumnWidths(
  textWidths: readonly number[],
  fixedWidths: readonly (number | undefined)[],
  metrics: TableMetrics,
): number[] {
  return textWidths.map(
    (textWidth, index) =>
      fixedWidths[index] ??
      Math.min(
        metrics.maxColumnWidth,
        Math.max(metrics.minColumnWidth, textWidth + 2 * metrics.cellPadding),
      ),
  );
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

/**
 * Spreads the usable width over the columns: fixed columns keep their width and measured ones
 * share the rest in proportion to their natural widths. When that would leave the measured
 * columns under their minimum, or the table is too wide, every column shrinks in proportion
 * (the cells then truncate with "…"). A table of fixed columns narrower than the page stays so.
 */
export function fitColumnWidths(
  naturalWidths: readonly number[],
  fixedWidths: readonly (number | undefined)[],
  usableWidth: number,
  metrics: TableMetrics,
): number[] {
  const isFixed = (index: number) => fixedWidths[index] !== undefined;
  const fixedTotal = sum(naturalWidths.filter((_, index) => isFixed(index)));
  const measuredTotal = sum(naturalWidths.filter((_, index) => !isFixed(index)));
  const measuredCount = naturalWidths.length - fixedWidths.filter((w) => w !== undefined).length;
  const room = usableWidth - fixedTotal;
  if (measuredCount > 0 && room >= measuredCount * metrics.minColumnWidth) {
    const scale = room / measuredTotal;
    return naturalWidths.map((width, index) => (isFixed(index) ? width : width * scale));
  }
  const total = fixedTotal + measuredTotal;
  if (total <= usableWidth) return [...naturalWidths];
  return naturalWidths.map((width) => (width * usableWidth) / total);
}

export interface TableLayoutInput {
  readonly pageSize: PdfPageSize;
  readonly orientation: PdfOrientation;
  readonly fontSize: number;
  /** Per column, the widest of its header and sampled cells, in points. */
  readonly textWidths: readonly number[];
  /** Per column, its `width` option. */
  readonly fixedWidths: readonly (number | undefined)[];
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

export function layoutTable(input: TableLayoutInput): TableLayout {
  const metrics = tableMetrics(input.fontSize);
  const natural = naturalColumnWidths(input.textWidths, input.fixedWidths, metrics);
  const page = pageGeometry(
    input.pageSize,
    chooseOrientation(input.orientation, natural, input.pageSize),
  );
  const columnWidths = fitColumnWidths(natural, input.fixedWidths, page.usableWidth, metrics);
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

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
