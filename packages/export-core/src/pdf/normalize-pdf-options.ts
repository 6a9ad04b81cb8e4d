import type { ColumnDefaults, ColumnsOption, NormalizedColumn } from '../columns/column-types.js';
import { normalizeColumnDefaults, normalizeColumns } from '../columns/normalize-columns.js';
import { describeValue } from '../describe-value.js';
import { ExportError } from '../errors.js';
import { bundledFontPaths } from './bundled-fonts.js';
import {
  type NormalizedMeasuredWidths,
  normalizeMeasuredWidths,
  type PdfMeasuredWidths,
} from './measured-widths.js';
import { type FontFile, readFontFile } from './read-font-file.js';

export const pdfPageSizes = ['A4', 'Letter'] as const;
export type PdfPageSize = (typeof pdfPageSizes)[number];

export const pdfOrientations = ['auto', 'portrait', 'landscape'] as const;
export type PdfOrientation = (typeof pdfOrientations)[number];

export const pdfFontSizeRange = Object.freeze({ min: 5, max: 20 });

/**
 * The options of `createPdfStream`, as a caller passes them (and `nullText`, `timeZone`), for
 * records of `Row`.
 */
export interface PdfStreamOptions<Row = unknown> extends ColumnDefaults {
  /** As `normalizeColumns`; default: the keys of the first record. `width` is in PDF points. */
  columns?: ColumnsOption<Row>;
  /** Default `Export`. */
  title?: string;
  /** Extra lines under the title, such as `User: alice`. */
  meta?: readonly string[];
  author?: string;
  /** Shown under the title and stored as the CreationDate; default: now. */
  generatedAt?: Date;
  /** Default `A4`. */
  pageSize?: PdfPageSize;
  /** Default `auto`: landscape when the columns' natural widths do not fit a portrait page. */
  orientation?: PdfOrientation;
  /** Shade every other row; default `true`. */
  zebra?: boolean;
  /** In points, 5 to 20; default 8. */
  fontSize?: number;
  /** Path of a TrueType/OpenType font for the cells; default the bundled DejaVu Sans. */
  font?: string;
  /** Path of a TrueType/OpenType font for the title and header; default DejaVu Sans Bold. */
  boldFont?: string;
  /**
   * The columns' widest cells over every record, from `measurePdfColumns`, for an input that
   * can be read twice: the layout then fits what comes after the first 100 records too. Without
   * it, the widths come from the first 100 records, and a wider number after them is drawn
   * smaller.
   */
  measuredWidths?: PdfMeasuredWidths;
}

/** The options as the writer uses them: every default applied, every font file read. */
export interface NormalizedPdfOptions {
  /** `undefined` when the columns come from the first record. */
  readonly columns: readonly NormalizedColumn[] | undefined;
  /** For the columns taken from the first record. */
  readonly columnDefaults: Required<ColumnDefaults>;
  readonly title: string;
  readonly meta: readonly string[];
  readonly author: string | undefined;
  readonly generatedAt: Date;
  readonly pageSize: PdfPageSize;
  readonly orientation: PdfOrientation;
  readonly zebra: boolean;
  readonly fontSize: number;
  readonly font: FontFile;
  readonly boldFont: FontFile;
  readonly measuredWidths: NormalizedMeasuredWidths | undefined;
}

export const pdfDefaults = Object.freeze({
  title: 'Export',
  pageSize: 'A4',
  orientation: 'auto',
  zebra: true,
  fontSize: 8,
} as const);

export function normalizePdfOptions<Row = unknown>(
  options: PdfStreamOptions<Row> = {},
): NormalizedPdfOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw invalidOption(`option \`pdf\` must be an object, got ${describeValue(options)}`);
  }
  const columnDefaults = normalizeColumnDefaults(options);
  const columns =
    options.columns === undefined
      ? undefined
      : normalizeColumns(options.columns, undefined, columnDefaults);
  return Object.freeze({
    columns,
    columnDefaults,
    title: optionalString(options.title, 'title') ?? pdfDefaults.title,
    meta: metaLines(options.meta),
    author: optionalString(options.author, 'author'),
    generatedAt: generatedAt(options.generatedAt),
    ...normalizePdfPageOptions(options),
    zebra: optionalBoolean(options.zebra, 'zebra') ?? pdfDefaults.zebra,
    font: readFontFile(options.font ?? bundledFontPaths.regular, 'pdf.font'),
    boldFont: readFontFile(options.boldFont ?? bundledFontPaths.bold, 'pdf.boldFont'),
    measuredWidths: normalizeMeasuredWidths(options.measuredWidths),
  });
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  throw invalidOption(`option \`pdf.${name}\` must be a string, got ${describeValue(value)}`);
}

function optionalBoolean(value: unknown, name: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw invalidOption(`option \`pdf.${name}\` must be a boolean, got ${describeValue(value)}`);
}

/** The options that decide how wide the table may be, validated as `normalizePdfOptions` does. */
export function normalizePdfPageOptions(
  options: Pick<PdfStreamOptions, 'pageSize' | 'orientation' | 'fontSize'>,
): { pageSize: PdfPageSize; orientation: PdfOrientation; fontSize: number } {
  return {
    pageSize: oneOf(options.pageSize, 'pageSize', pdfPageSizes) ?? pdfDefaults.pageSize,
    orientation:
      oneOf(options.orientation, 'orientation', pdfOrientations) ?? pdfDefaults.orientation,
    fontSize: fontSize(options.fontSize),
  };
}

function oneOf<T extends string>(
  value: unknown,
  name: string,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined || allowed.includes(value as T)) return value as T | undefined;
  throw invalidOption(
    `option \`pdf.${name}\` must be one of ${allowed.join(', ')}, got ${describeValue(value)}`,
  );
}

/** The title block must leave room for the table on page 1, whatever the page and font size. */
export const maxMetaLines = 10;

function metaLines(value: unknown): readonly string[] {
  if (value === undefined) return Object.freeze([]);
  if (!Array.isArray(value)) {
    throw invalidOption(
      `option \`pdf.meta\` must be an array of strings, got ${describeValue(value)}`,
    );
  }
  if (value.length > maxMetaLines) {
    throw invalidOption(
      `option \`pdf.meta\` must have at most ${maxMetaLines} lines, got ${value.length}`,
    );
  }
  value.forEach((line: unknown, index) => {
    if (typeof line !== 'string') {
      throw invalidOption(
        `option \`pdf.meta[${index}]\` must be a string, got ${describeValue(line)}`,
      );
    }
  });
  return Object.freeze([...(value as string[])]);
}

function generatedAt(value: unknown): Date {
  if (value === undefined) return new Date();
  if (value instanceof Date && !Number.isNaN(value.getTime())) return new Date(value.getTime());
  throw invalidOption(
    `option \`pdf.generatedAt\` must be a valid Date, got ${value instanceof Date ? 'an invalid Date' : describeValue(value)}`,
  );
}

function fontSize(value: unknown): number {
  if (value === undefined) return pdfDefaults.fontSize;
  const { min, max } = pdfFontSizeRange;
  if (typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max) {
    return value;
  }
  throw invalidOption(
    `option \`pdf.fontSize\` must be a number from ${min} to ${max}, got ${describeValue(value)}`,
  );
}

function invalidOption(message: string): ExportError {
  return new ExportError('EXPORT_INVALID_OPTION', message);
}
