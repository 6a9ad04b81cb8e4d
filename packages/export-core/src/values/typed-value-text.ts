import type { ColumnType } from '../columns/column-types.js';
import { describeValue } from '../describe-value.js';
import { dateText, dateTimeText } from './date-text.js';
import { ExactNumber } from './exact-number.js';
import { formatCellValue } from './format-cell-value.js';
import { isIntegerLiteral, isNumericLiteral } from './numeric-literal.js';

/**
 * The text of a present value in a column of a declared type. Numbers are written exactly as
 * given (a numeric string in a decimal column stays that string, never a double); dates and
 * datetimes as ISO 8601 in `timeZone`, a string date as given. A value the type cannot hold
 * throws a TypeError, which the caller turns into EXPORT_INVALID_RECORD with the row.
 */
export function typedValueText(type: ColumnType, value: unknown, timeZone: string): string {
  switch (type) {
    case 'text':
      return formatCellValue(value);
    case 'integer':
      return integerText(value);
    case 'decimal':
      return decimalText(value);
    case 'boolean':
      return booleanText(value);
    case 'date':
      return dateValueText(value, timeZone, dateText, 'date');
    case 'datetime':
      return dateValueText(value, timeZone, dateTimeText, 'datetime');
  }
}

/** The text of a value in a column without a type: a Date is a datetime in `timeZone`. */
export function inferredValueText(value: unknown, timeZone: string): string {
  if (value instanceof Date && timeZone !== 'UTC' && !Number.isNaN(value.getTime())) {
    return dateTimeText(value, timeZone);
  }
  return formatCellValue(value);
}

function integerText(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  if (value instanceof ExactNumber && isIntegerLiteral(value.text)) return value.text;
  if (typeof value === 'string' && isIntegerLiteral(value)) return value;
  throw new TypeError(`an integer column takes integers, got ${describeValue(value)}`);
}

function decimalText(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (value instanceof ExactNumber) return value.text;
  if (typeof value === 'string' && isNumericLiteral(value)) return value;
  throw new TypeError(
    `a decimal column takes numbers or numeric strings, got ${describeValue(value)}`,
  );
}

function booleanText(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === 'true' || value === 'false') return value;
  throw new TypeError(`a boolean column takes true or false, got ${describeValue(value)}`);
}

function dateValueText(
  value: unknown,
  timeZone: string,
  write: (date: Date, timeZone: string) => string,
  type: 'date' | 'datetime',
): string {
  if (typeof value === 'string') return value;
  const date = typeof value === 'number' ? new Date(value) : value;
  if (date instanceof Date && !Number.isNaN(date.getTime())) return write(date, timeZone);
  throw new TypeError(
    `a ${type} column takes Dates, epoch milliseconds or ISO 8601 strings, got ${describeValue(value)}`,
  );
}
