import { describeValue } from '../describe-value.js';
import { ExportError } from '../errors.js';
import {
  type ColumnOptions,
  type ColumnsOption,
  columnAlignments,
  type NormalizedColumn,
} from './column-types.js';

/**
 * Resolves the `columns` option once, before any row is written. Without it, the columns are
 * the keys of the first record (or its positions, for an array record).
 */
export function normalizeColumns(
  columns: ColumnsOption | undefined,
  firstRecord?: unknown,
): readonly NormalizedColumn[] {
  if (columns === undefined) return columnsFromRecord(firstRecord);
  if (!Array.isArray(columns)) {
    throw invalidColumns(`option \`columns\` must be an array, got ${describeValue(columns)}`);
  }
  if (columns.length === 0) {
    throw new ExportError('EXPORT_NO_COLUMNS', 'option `columns` must name at least one column');
  }
  return Object.freeze(columns.map((column, index) => normalizeColumn(column, index)));
}

function columnsFromRecord(record: unknown): readonly NormalizedColumn[] {
  if (record === undefined) {
    throw new ExportError(
      'EXPORT_NO_COLUMNS',
      'option `columns` is required when there is no record to take the columns from',
    );
  }
  if (record === null || typeof record !== 'object') {
    throw new ExportError(
      'EXPORT_INVALID_RECORD',
      `record 0 must be an object or an array, got ${describeValue(record)}`,
    );
  }
  const keys = Array.isArray(record)
    ? record.map((_, index) => String(index))
    : Object.keys(record);
  if (keys.length === 0) {
    throw new ExportError(
      'EXPORT_NO_COLUMNS',
      'record 0 has no fields to take the columns from; pass option `columns`',
    );
  }
  return Object.freeze(keys.map((key) => column({ key })));
}

function normalizeColumn(value: unknown, index: number): NormalizedColumn {
  const path = `columns[${index}]`;
  if (typeof value === 'string') {
    if (value === '') throw invalidColumns(`option \`${path}\` must be a non-empty string`);
    return column({ key: value });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidColumns(
      `option \`${path}\` must be a string or { key, header?, width?, align?, format? }, got ${describeValue(value)}`,
    );
  }
  const options = value as Partial<ColumnOptions>;
  if (typeof options.key !== 'string' || options.key === '') {
    throw invalidColumns(
      `option \`${path}.key\` must be a non-empty string, got ${describeValue(options.key)}`,
    );
  }
  if (options.header !== undefined && typeof options.header !== 'string') {
    throw invalidColumns(
      `option \`${path}.header\` must be a string, got ${describeValue(options.header)}`,
    );
  }
  if (
    options.width !== undefined &&
    (typeof options.width !== 'number' || !Number.isFinite(options.width) || options.width <= 0)
  ) {
    throw invalidColumns(
      `option \`${path}.width\` must be a positive number, got ${describeValue(options.width)}`,
    );
  }
  if (options.align !== undefined && !columnAlignments.includes(options.align)) {
    throw invalidColumns(
      `option \`${path}.align\` must be one of ${columnAlignments.join(', ')}, got ${describeValue(options.align)}`,
    );
  }
  if (options.format !== undefined && typeof options.format !== 'function') {
    throw invalidColumns(
      `option \`${path}.format\` must be a function, got ${describeValue(options.format)}`,
    );
  }
  return column(options as ColumnOptions);
}

function column(options: ColumnOptions): NormalizedColumn {
  return Object.freeze({
    key: options.key,
    header: options.header ?? options.key,
    width: options.width,
    align: options.align,
    format: options.format,
  });
}

function invalidColumns(message: string): ExportError {
  return new ExportError('EXPORT_INVALID_OPTION', message);
}
