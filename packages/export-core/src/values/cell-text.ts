import type { ExportRecord, NormalizedColumn } from '../columns/column-types.js';
import { describeValue } from '../describe-value.js';
import { ExportError } from '../errors.js';
import { formatCellValue } from './format-cell-value.js';
import { inferredValueText, typedValueText } from './typed-value-text.js';

export function assertRecord(record: unknown, row: number): asserts record is ExportRecord {
  if (record === null || typeof record !== 'object') {
    throw new ExportError(
      'EXPORT_INVALID_RECORD',
      `record ${row} must be an object or an array, got ${describeValue(record)}`,
      { row },
    );
  }
}

const arrayIndexKey = /^(0|[1-9]\d*)$/;

/**
 * An object record is read by key. An array record is read by the key when it is an index
 * ("0", "1", …), otherwise by the column's position, so `columns: ['id', 'name']` names the
 * cells of `[1, 'ACME']`. A key every object inherits (`__proto__`, `constructor`, `toString`)
 * is read only as the record's own field: a record without it has an empty cell, not `{}`.
 */
export function readCellValue(record: ExportRecord, key: string, position: number): unknown {
  if (!Array.isArray(record)) {
    if (key in Object.prototype && !Object.hasOwn(record, key)) return undefined;
    return (record as Record<string, unknown>)[key];
  }
  return record[arrayIndexKey.test(key) ? Number(key) : position];
}

/** The text of a column in a record, through the column's own `format` when it has one. */
export function cellText(
  column: NormalizedColumn,
  position: number,
  record: ExportRecord,
  row: number,
): string {
  return cellValueText(column, readCellValue(record, column.key, position), record, row);
}

/**
 * As `cellText`, for a caller that has already read the value. A column's `format` sees every
 * value, null included; otherwise null and a missing field are the column's `nullText`.
 */
export function cellValueText(
  column: NormalizedColumn,
  value: unknown,
  record: ExportRecord,
  row: number,
): string {
  try {
    if (column.format) {
      const text = column.format(value, record);
      return typeof text === 'string' ? text : formatCellValue(text);
    }
    if (value === null || value === undefined) return column.nullText;
    if (column.type !== undefined) return typedValueText(column.type, value, column.timeZone);
    return inferredValueText(value, column.timeZone);
  } catch (error) {
    throw new ExportError(
      'EXPORT_INVALID_RECORD',
      `record ${row} has a value in column \`${column.key}\` that cannot be written: ${(error as Error).message}`,
      { row, cause: error },
    );
  }
}
