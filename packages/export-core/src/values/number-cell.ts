import type { NormalizedColumn } from '../columns/column-types.js';
import { ExactNumber } from './exact-number.js';

/** A value written as a number: a JavaScript number, bigint or ExactNumber. */
export function isNumberValue(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'bigint' || value instanceof ExactNumber;
}

/**
 * Whether a cell holds a number: its column says integer or decimal, or (without a type) its
 * value is one. Such a cell is never prefixed by the formula guard and sits right in a PDF.
 */
export function isNumberCell(column: NormalizedColumn, value: unknown): boolean {
  if (column.type === 'integer' || column.type === 'decimal') return true;
  return column.type === undefined && isNumberValue(value);
}
