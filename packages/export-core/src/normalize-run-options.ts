import type { Writable } from 'node:stream';
import { type UnknownFieldPolicy, unknownFieldPolicies } from './columns/field-audit.js';
import { normalizeColumnDefaults } from './columns/normalize-columns.js';
import { describeValue } from './describe-value.js';
import { ExportError } from './errors.js';
import type {
  CsvFormatOptions,
  ExportFormatOptions,
  ExportSettings,
  PdfFormatOptions,
  XlsxFormatOptions,
} from './export-options.js';
import { assertExportFormat, type ExportFormat, exportFormats } from './formats.js';

const defaultProgressIntervalMs = 250;

/** `runExport`'s options but the source, checked once, defaults applied; the pool checks them too. */
export function normalizeRunOptions<Row>(options: ExportSettings<Row> & ExportFormatOptions) {
  if (options === null || typeof options !== 'object') {
    throw invalid(`options must be an object, got ${describeValue(options)}`);
  }
  const format = assertExportFormat(options.format);
  const formatOptions = ownFormatOptions(options, format);
  const { destination, signal, onProgress } = options;
  const isWritable =
    destination !== null &&
    typeof destination === 'object' &&
    typeof (destination as Writable).write === 'function';
  if (!(typeof destination === 'string' && destination !== '') && !isWritable) {
    throw invalid(
      `option \`destination\` must be a file path or a Writable, got ${describeValue(destination)}`,
    );
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw invalid(`option \`signal\` must be an AbortSignal, got ${describeValue(signal)}`);
  }
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw invalid(`option \`onProgress\` must be a function, got ${describeValue(onProgress)}`);
  }
  const progressIntervalMs = options.progressIntervalMs ?? defaultProgressIntervalMs;
  if (typeof progressIntervalMs !== 'number' || !(progressIntervalMs >= 0)) {
    throw invalid(
      `option \`progressIntervalMs\` must be a number >= 0, got ${describeValue(progressIntervalMs)}`,
    );
  }
  const maxRows = options.maxRows ?? Number.POSITIVE_INFINITY;
  if (maxRows !== Number.POSITIVE_INFINITY && !(Number.isSafeInteger(maxRows) && maxRows >= 0)) {
    throw invalid(`option \`maxRows\` must be an integer >= 0, got ${describeValue(maxRows)}`);
  }
  const unknownFields = options.unknownFields ?? 'report';
  if (!unknownFieldPolicies.includes(unknownFields as UnknownFieldPolicy)) {
    throw invalid(
      `option \`unknownFields\` must be "report" or "error", got ${describeValue(unknownFields)}`,
    );
  }
  const columnDefaults = normalizeColumnDefaults({
    ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
    ...(options.nullText === undefined ? {} : { nullText: options.nullText }),
  });
  return {
    format,
    ...formatOptions,
    destination,
    signal,
    onProgress,
    progressIntervalMs,
    maxRows,
    unknownFields,
    columnDefaults,
  };
}

/**
 * The options of `format`, each an object or absent. Those of the other format are refused: a
 * caller without types would otherwise see them ignored.
 */
function ownFormatOptions(
  options: ExportFormatOptions,
  format: ExportFormat,
): {
  csv: CsvFormatOptions | undefined;
  pdf: PdfFormatOptions | undefined;
  xlsx: XlsxFormatOptions | undefined;
} {
  for (const name of exportFormats) {
    const value: unknown = options[name];
    if (value === undefined) continue;
    if (name !== format) {
      throw invalid(
        `option \`${name}\` is for format "${name}", and this export's format is "${format}"; pass \`${format}\` options or none`,
      );
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw invalid(`option \`${name}\` must be an object, got ${describeValue(value)}`);
    }
  }
  return { csv: options.csv, pdf: options.pdf, xlsx: options.xlsx };
}

function invalid(message: string): ExportError {
  return new ExportError('EXPORT_INVALID_OPTION', message);
}
