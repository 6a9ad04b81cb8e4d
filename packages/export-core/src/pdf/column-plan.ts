import type { ColumnAlignment, NormalizedColumn } from '../columns/column-types.js';
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

/** `numeric`: per column, whether its sampled values are numbers, so the header sits right. */
export function planColumns(
  columns: readonly NormalizedColumn[],
  layout: TableLayout,
  numeric: readonly boolean[],
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
      textRoom: ((textRight - textLeft) * 1000) / fontSize,
      headerAlignment: column.align ?? (numeric[position] === true ? 'right' : 'left'),
    };
  });
}
