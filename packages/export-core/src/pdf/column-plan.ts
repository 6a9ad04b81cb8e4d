import type { ColumnAlignment, NormalizedColumn } from '../columns/column-types.js';
import { headerAlignment } from './cell-alignment.js';
import type { TableLayout } from './layout-table.js';

/** What drawing one column takes, worked out once from the layout. */
export interface ColumnPlan {
  readonly column: NormalizedColumn;
  /** The column's index, by which an array record is read. */
  readonly position: number;
  /** The inner box of its cells (inside the padding), in points. */
  readonly textLeft: number;
  readonly textRight: number;
  /** The same width in 1/1000 em of the cell font size, as `GlyphCache.fit` takes it. */
  readonly textRoom: number;
  readonly headerAlignment: ColumnAlignment;
}

/** `numbersOnly`: per column, whether its measured values are all numbers (header right). */
export function planColumns(
  columns: readonly NormalizedColumn[],
  layout: TableLayout,
  numbersOnly: readonly boolean[],
): ColumnPlan[] {
  const { cellPadding, fontSize } = layout.metrics;
  return columns.map((column, position) => {
    const left = layout.columnLefts[position];
    const width = layout.columnWidths[position];
    if (left === undefined || width === undefined) {
      throw new Error(`the table layout has no column ${position}`);
    }
    const textLeft = left + cellPadding;
    const textRight = left + width - cellPadding;
    return {
      column,
      position,
      textLeft,
      textRight,
      // A hair more: text exactly as wide as the widest measured one fits, whatever the rounding
      // of the column positions.
      textRoom: ((textRight - textLeft) * 1000) / fontSize + 1e-6,
      headerAlignment: headerAlignment(column, numbersOnly[position] === true),
    };
  });
}
