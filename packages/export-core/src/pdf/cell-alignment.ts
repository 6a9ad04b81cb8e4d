import type { ColumnAlignment, NormalizedColumn } from '../columns/column-types.js';

export function isNumericValue(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'bigint';
}

/** A column's `align` wins; otherwise numbers sit right, everything else left. */
export function cellAlignment(column: NormalizedColumn, value: unknown): ColumnAlignment {
  return column.align ?? (isNumericValue(value) ? 'right' : 'left');
}

/** Where text of this width starts in a cell whose inner box spans [left, right]. */
export function alignedX(
  alignment: ColumnAlignment,
  left: number,
  right: number,
  textWidth: number,
): number {
  if (alignment === 'right') return right - textWidth;
  if (alignment === 'center') return (left + right - textWidth) / 2;
  return left;
}
