import type { ExportRecord, NormalizedColumn } from '../columns/column-types.js';
import { describeValue } from '../describe-value.js';
import { ExportError } from '../errors.js';
import { formatCellValue } from './format-cell-value.js';

export function assertRecord(record: unknown, row: number): asserts record is ExportRecord {
  if (record === null || typeof record !== 'object') {
    throw new ExportError(
      'EXPORT_INVALID_RECORD',
      `record ${row} must be an object or an array, got ${describeValue(record)}`,
      { row },
    );
  }
}

export function readCellValue(record: ExportRecord, key: string): unknown {
  return Array.isArray(record) ? record[Number(key)] : (record as Record<string, unknown>)[key];
}

/** The text of a column in a record, through the column's own `format` when it has one. */
export function cellText(column: NormalizedColumn, record: ExportRecord, row: number): string {
  const value = readCellValue(record, column.key);
  try {
    if (column.format) {
      const text = column.format(value, record);
      return typeof text === 'string' ? text : formatCellValue(text);
    }
    return formatCellValue(value);
  } catch (error) {
    throw new ExportError(
      'EXPORT_INVALID_RECORD',
      `record ${row} has a value in column \`${column.key}\` that cannot be written: ${(error as Error).message}`,
      { row, cause: error },
    );
  }
}
