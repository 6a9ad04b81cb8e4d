import type { ColumnAlignment, NormalizedColumn } from '../columns/column-types.js';
import { isNumberCell } from '../values/number-cell.js';

/**
 * Whether a cell is drawn as a number: never cut, right-aligned. A present value that is a number
 * (number, bigint, ExactNumber) in a column without a type, or any present value in an integer or
 * decimal column (where a numeric string is a number). Null and a missing field are text.
 */
export function isNumberContent(column: NormalizedColumn, value: unknown): boolean {
  return value !== null && value !== undefined && isNumberCell(column, value);
}

/**
 * Whether a column is a number column: its type says integer or decimal, or, without a type,
 * every value measured is a number. Its header then sits right, over its numbers.
 */
export function isNumberColumn(column: NormalizedColumn, numbersOnly: boolean): boolean {
  if (column.type === 'integer' || column.type === 'decimal') return true;
  return column.type === undefined && numbersOnly;
}

/**
 * A column's `align` wins; otherwise its type decides (integer and decimal right, the others
 * left), and without a type each value's own: numbers right, everything else left.
 */
export function cellAlignment(column: NormalizedColumn, value: unknown): ColumnAlignment {
  return column.align ?? (isNumberCell(column, value) ? 'right' : 'left');
}

/** The header's alignment: the column's `align`, else right over a number column. */
export function headerAlignment(column: NormalizedColumn, numbersOnly: boolean): ColumnAlignment {
  return column.align ?? (isNumberColumn(column, numbersOnly) ? 'right' : 'left');
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
