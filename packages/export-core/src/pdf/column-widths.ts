import type { ColumnMeasure } from './measure-columns.js';
import { minimumNumberFontSize } from './number-fit.js';

/** Sizes that follow the font size, in points (the part of `TableMetrics` widths need). */
export interface WidthMetrics {
  readonly fontSize: number;
  readonly cellPadding: number;
  /** Bounds on a measured column's natural width (not on a `columns[i].width`). */
  readonly minColumnWidth: number;
  readonly maxColumnWidth: number;
}

/** A column as the layout sizes it: what was measured, and its `width` option. */
export interface ColumnWidthInput extends ColumnMeasure {
  readonly fixed: number | undefined;
}

/**
 * The least and most room a text column's cells keep before the table counts as too wide, in em
 * of the cell font: its widest text, but at least a letter and "…" and at most a few letters.
 */
export const minimumTextRoomEm = Object.freeze({ least: 1.5, most: 3 });

/** The widths the layout chooses between, per column, in points; widest first. */
export interface ColumnWidthBounds {
  /** All shown: the header, the text up to `maxColumnWidth`, the numbers at full size. */
  readonly natural: number;
  /** The numbers at full size, the text and header at their minimum. */
  readonly comfortable: number;
  /**
   * The numbers at `minimumNumberFontSize`, the text at `minimumTextRoomEm`: the least a column
   * needs. A column with a `width` option has that width at every level.
   */
  readonly minimum: number;
}

export function columnWidthBounds(
  column: ColumnWidthInput,
  metrics: WidthMetrics,
): ColumnWidthBounds {
  if (column.fixed !== undefined) {
    return { natural: column.fixed, comfortable: column.fixed, minimum: column.fixed };
  }
  const { fontSize, cellPadding, minColumnWidth, maxColumnWidth } = metrics;
  const padding = 2 * cellPadding;
  const textRoom = clamp(
    column.text,
    minimumTextRoomEm.least * fontSize,
    minimumTextRoomEm.most * fontSize,
  );
  const smallNumbers = (column.number * minimumNumberFontSize) / fontSize;
  const minimum = Math.max(textRoom, smallNumbers) + padding;
  const comfortable = Math.max(minimum, column.number + padding);
  const shown = clamp(
    Math.max(column.header, column.text) + padding,
    minColumnWidth,
    maxColumnWidth,
  );
  return { natural: Math.max(comfortable, shown), comfortable, minimum };
}

/**
 * Spreads the usable width over the columns. When the natural widths fit, fixed columns keep
 * theirs and the measured ones grow in proportion to fill the page (a table of fixed columns
 * narrower than the page stays so). Otherwise text and headers give way first, down to their
 * minimum, then numbers, down to the minimum font size: each column gives a share of its own
 * slack between two levels. `undefined` when not even the minimum widths fit: too wide a table.
 */
export function fitColumnWidths(
  bounds: readonly ColumnWidthBounds[],
  fixed: readonly boolean[],
  usableWidth: number,
): number[] | undefined {
  const natural = bounds.map((bound) => bound.natural);
  if (sum(natural) <= usableWidth) {
    const fixedTotal = sum(natural.filter((_, index) => fixed[index]));
    const measuredTotal = sum(natural) - fixedTotal;
    if (measuredTotal <= 0) return natural;
    const scale = (usableWidth - fixedTotal) / measuredTotal;
    return natural.map((width, index) => (fixed[index] ? width : width * scale));
  }
  const comfortable = bounds.map((bound) => bound.comfortable);
  if (sum(comfortable) <= usableWidth) return between(comfortable, natural, usableWidth);
  const minimum = bounds.map((bound) => bound.minimum);
  if (sum(minimum) <= usableWidth) return between(minimum, comfortable, usableWidth);
  return undefined;
}

/** Each column at `low` plus the same share of its slack up to `high`, to fill `total`. */
function between(low: readonly number[], high: readonly number[], total: number): number[] {
  const slack = sum(high) - sum(low);
  const share = slack > 0 ? (total - sum(low)) / slack : 0;
  return low.map((width, index) => width + ((high[index] ?? width) - width) * share);
}

function clamp(value: number, least: number, most: number): number {
  return Math.min(most, Math.max(least, value));
}

export function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
