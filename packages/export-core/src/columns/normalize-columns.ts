import { describeValue } from '../describe-value.js';
import { ExportError } from '../errors.js';
import { keysInSourceOrder } from '../source/source-key-order.js';
import { assertTimeZone } from '../values/time-zone.js';
import {
  type ColumnDefaults,
  type ColumnOptions,
  type ColumnsOption,
  columnAlignments,
  columnTypes,
  type NormalizedColumn,
} from './column-types.js';

/**
 * Resolves the `columns` option once, before any row is written. Without it, the columns are
 * the keys of the first record in their source order (or its positions, for an array record).
 */
export function normalizeColumns(
  columns: ColumnsOption | undefined,
  firstRecord?: unknown,
  defaults: ColumnDefaults = {},
): readonly NormalizedColumn[] {
  const shared = normalizeColumnDefaults(defaults);
  if (columns === undefined) return columnsFromRecord(firstRecord, shared);
  if (!Array.isArray(columns)) {
    throw invalidColumns(`option \`columns\` must be an array, got ${describeValue(columns)}`);
  }
  if (columns.length === 0) {
    throw new ExportError('EXPORT_NO_COLUMNS', 'option `columns` must name at least one column');
  }
  return Object.freeze(columns.map((column, index) => normalizeColumn(column, index, shared)));
}

/** Checks `timeZone` and `nullText` once, so every column can take them as they are. */
export function normalizeColumnDefaults(defaults: ColumnDefaults): Required<ColumnDefaults> {
  const timeZone = defaults.timeZone ?? 'UTC';
  assertTimeZone(timeZone, 'timeZone');
  const nullText = defaults.nullText ?? '';
  if (typeof nullText !== 'string') {
    throw invalidColumns(`option \`nullText\` must be a string, got ${describeValue(nullText)}`);
  }
  return { timeZone, nullText };
}

function columnsFromRecord(
  record: unknown,
  defaults: Required<ColumnDefaults>,
): readonly NormalizedColumn[] {
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
    : keysInSourceOrder(record);
  if (keys.length === 0) {
    throw new ExportError(
      'EXPORT_NO_COLUMNS',
      'record 0 has no fields to take the columns from; pass option `columns`',
    );
  }
  return Object.freeze(keys.map((key) => column({ key }, defaults)));
}

function normalizeColumn(
  value: unknown,
  index: number,
  defaults: Required<ColumnDefaults>,
): NormalizedColumn {
  const path = `columns[${index}]`;
  if (typeof value === 'string') {
    if (value === '') throw invalidColumns(`option \`${path}\` must be a non-empty string`);
    return column({ key: value }, defaults);
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
  if (options.type !== undefined && !columnTypes.includes(options.type)) {
    throw invalidColumns(
      `option \`${path}.type\` must be one of ${columnTypes.join(', ')}, got ${describeValue(options.type)}`,
    );
  }
  if (options.timeZone !== undefined) assertTimeZone(options.timeZone, `${path}.timeZone`);
  if (options.format !== undefined && typeof options.format !== 'function') {
    throw invalidColumns(
      `option \`${path}.format\` must be a function, got ${describeValue(options.format)}`,
    );
  }
  return column(options as ColumnOptions, defaults);
}

function column(options: ColumnOptions, defaults: Required<ColumnDefaults>): NormalizedColumn {
  return Object.freeze({
    key: options.key,
    header: options.header ?? options.key,
    width: options.width,
    align: options.align,
    type: options.type,
    timeZone: options.timeZone ?? defaults.timeZone,
    nullText: defaults.nullText,
    format: options.format,
  });
}

function invalidColumns(message: string): ExportError {
  return new ExportError('EXPORT_INVALID_OPTION', message);
}
