import type { ColumnDefaults, ColumnsOption, NormalizedColumn } from '../columns/column-types.js';
import { normalizeColumnDefaults, normalizeColumns } from '../columns/normalize-columns.js';
import { describeValue } from '../describe-value.js';
import { ExportError } from '../errors.js';
import { assertSheetName } from './sheet-names.js';
import type { XlsxMeasuredWidths } from './xlsx-column-widths.js';
import { assertXlsxColumnCount, xlsxLimits } from './xlsx-limits.js';

/**
 * The options of `createXlsxStream`, as a caller passes them (and `nullText`, `timeZone`), for
 * records of `Row`.
 */
export interface XlsxStreamOptions<Row = unknown> extends ColumnDefaults {
  /**
   * As `normalizeColumns`; default: the keys of the first record. A column's `type` decides its
   * cells' type; `width` is in PDF points, as for the PDF (5.25 points a character).
   */
  columns?: ColumnsOption<Row>;
  /**
   * The first sheet's name; the sheets after it add " (2)", " (3)", …. Default: `Sheet1`,
   * `Sheet2`, …. At most 31 characters, none of `: \ / ? * [ ]`, not starting or ending with `'`.
   */
  sheetName?: string;
  /** The document's title (docProps/core.xml `dc:title`). Default: none. */
  title?: string;
  /** The document's creator (`dc:creator`). Default: none. */
  author?: string;
  /** Stored as the document's creation time and the zip entries' times; default: now. */
  generatedAt?: Date;
  /**
   * Rows per sheet, the header included, before the rows go on to a new sheet. Default and
   * maximum 1,048,576, Excel's limit: a lower value is for tests.
   */
  maxRowsPerSheet?: number;
  /**
   * Each column's widest cell over every record, in characters, from `measureXlsxColumns`, for
   * an input that can be read twice; a column it covers is as wide as the wider of it and the
   * first 100 records. Default: the first 100 records only.
   */
  measuredWidths?: XlsxMeasuredWidths;
}

/** The options as the writer uses them: every default applied. */
export interface NormalizedXlsxOptions {
  /** `undefined` when the columns come from the first record. */
  readonly columns: readonly NormalizedColumn[] | undefined;
  /** For the columns taken from the first record. */
  readonly columnDefaults: Required<ColumnDefaults>;
  readonly sheetName: string | undefined;
  readonly title: string | undefined;
  readonly author: string | undefined;
  readonly generatedAt: Date;
  readonly maxRowsPerSheet: number;
  readonly measuredWidths: XlsxMeasuredWidths | undefined;
}

export function normalizeXlsxOptions<Row = unknown>(
  options: XlsxStreamOptions<Row> = {},
): NormalizedXlsxOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw invalid(`option \`xlsx\` must be an object, got ${describeValue(options)}`);
  }
  const columnDefaults = normalizeColumnDefaults(options);
  const columns =
    options.columns === undefined
      ? undefined
      : normalizeColumns(options.columns, undefined, columnDefaults);
  if (columns) assertXlsxColumnCount(columns.length);
  const sheetName = optionalString(options.sheetName, 'sheetName');
  if (sheetName !== undefined) assertSheetName(sheetName);
  return Object.freeze({
    columns,
    columnDefaults,
    sheetName,
    title: optionalString(options.title, 'title'),
    author: optionalString(options.author, 'author'),
    generatedAt: generatedAt(options.generatedAt),
    maxRowsPerSheet: maxRowsPerSheet(options.maxRowsPerSheet),
    measuredWidths: measuredWidths(options.measuredWidths),
  });
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  throw invalid(`option \`xlsx.${name}\` must be a string, got ${describeValue(value)}`);
}

function generatedAt(value: unknown): Date {
  if (value === undefined) return new Date();
  if (value instanceof Date && !Number.isNaN(value.getTime())) return new Date(value.getTime());
  throw invalid(
    `option \`xlsx.generatedAt\` must be a valid Date, got ${value instanceof Date ? 'an invalid Date' : describeValue(value)}`,
  );
}

function maxRowsPerSheet(value: unknown): number {
  const { maxRowsPerSheet: max } = xlsxLimits;
  if (value === undefined) return max;
  // Two rows at least: the header and one record.
  if (Number.isSafeInteger(value) && (value as number) >= 2 && (value as number) <= max) {
    return value as number;
  }
  throw invalid(
    `option \`xlsx.maxRowsPerSheet\` must be an integer from 2 to ${max}, got ${describeValue(value)}`,
  );
}

function measuredWidths(value: unknown): XlsxMeasuredWidths | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(`option \`xlsx.measuredWidths\` must be an object, got ${describeValue(value)}`);
  }
  const widths: Record<string, number> = Object.create(null);
  for (const [key, width] of Object.entries(value)) {
    if (typeof width !== 'number' || !Number.isFinite(width) || width < 0) {
      throw invalid(
        `option \`xlsx.measuredWidths.${key}\` must be a number of characters of at least 0, got ${describeValue(width)}`,
      );
    }
    widths[key] = width;
  }
  return Object.freeze(widths);
}

function invalid(message: string): ExportError {
  return new ExportError('EXPORT_INVALID_OPTION', message);
}
