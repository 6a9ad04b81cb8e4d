import type { Writable } from 'node:stream';
import type { ColumnsOption } from './columns/column-types.js';
import type { UnknownFieldPolicy } from './columns/field-audit.js';
import type { CsvStreamOptions } from './csv/normalize-csv-options.js';
import type { PdfStreamOptions } from './pdf/normalize-pdf-options.js';
import type { ExportSource } from './source/to-async-iterable.js';
import type { XlsxStreamOptions } from './xlsx/normalize-xlsx-options.js';

export interface ExportProgress {
  rows: number;
  bytes: number;
}

// `nullText` and `timeZone` are the export's, for every format; `columns` too.
/** `runExport`'s `csv`: the options of `createCsvStream` that are the CSV's own. */
export type CsvFormatOptions = Omit<CsvStreamOptions, 'columns' | 'nullText' | 'timeZone'>;
/** `runExport`'s `pdf`: the options of `createPdfStream` that are the PDF's own. */
export type PdfFormatOptions = Omit<PdfStreamOptions, 'columns' | 'nullText' | 'timeZone'>;
/** `runExport`'s `xlsx`: the options of `createXlsxStream` that are the XLSX's own. */
export type XlsxFormatOptions = Omit<XlsxStreamOptions, 'columns' | 'nullText' | 'timeZone'>;

/**
 * `format`, and the options of that format only: `pdf` with `format: 'csv'` (or any format's
 * options with another format) is a type error, and `EXPORT_INVALID_OPTION` at run time.
 */
export type ExportFormatOptions =
  | {
      format: 'csv';
      csv?: CsvFormatOptions;
      /** Only with `format: 'pdf'`. */
      pdf?: never;
      /** Only with `format: 'xlsx'`. */
      xlsx?: never;
    }
  | {
      format: 'pdf';
      pdf?: PdfFormatOptions;
      /** Only with `format: 'csv'`. */
      csv?: never;
      /** Only with `format: 'xlsx'`. */
      xlsx?: never;
    }
  | {
      format: 'xlsx';
      xlsx?: XlsxFormatOptions;
      /** Only with `format: 'csv'`. */
      csv?: never;
      /** Only with `format: 'pdf'`. */
      pdf?: never;
    };

/** What every export takes but its source and format, for records of `Row`. */
export interface ExportSettings<Row = unknown> {
  /**
   * Default: the keys of the first record, in the order its source wrote them. For typed
   * records, each key is one of `Row`'s fields.
   */
  columns?: ColumnsOption<Row>;
  /**
   * A field of a record that no column takes: `report` (default) counts it in the result's
   * `droppedFields`; `error` fails the export with EXPORT_UNKNOWN_FIELD.
   */
  unknownFields?: UnknownFieldPolicy;
  /** What null and a missing field are written as, in every column. Default: empty. */
  nullText?: string;
  /** IANA time zone in which Dates are written, unless a column says otherwise. Default `UTC`. */
  timeZone?: string;
  /** A file path (written atomically) or a Writable, which the export ends. */
  destination: string | Writable;
  /**
   * Stops the export: it fails with EXPORT_ABORTED, or EXPORT_TIMEOUT when the reason is a
   * `TimeoutError` (as `AbortSignal.timeout` gives).
   */
  signal?: AbortSignal;
  /** More records than this fail with EXPORT_TOO_MANY_ROWS, and no file is left. Default: no limit. */
  maxRows?: number;
  /** Called at most every `progressIntervalMs`, and once at the end. */
  onProgress?: (progress: ExportProgress) => void;
  progressIntervalMs?: number;
}

/** `runExport`'s options: records of `Row` (inferred from `source`), their format and settings. */
export type RunExportOptions<Row = unknown> = ExportSettings<Row> &
  ExportFormatOptions & { source: ExportSource<Row> };
