export type {
  ColumnAlignment,
  ColumnDefaults,
  ColumnFormatter,
  ColumnKey,
  ColumnOptions,
  ColumnsOption,
  ColumnType,
  ExportRecord,
  NormalizedColumn,
} from './columns/column-types.js';
export { columnAlignments, columnTypes } from './columns/column-types.js';
export {
  type DroppedFields,
  type UnknownFieldPolicy,
  unknownFieldPolicies,
} from './columns/field-audit.js';
export { normalizeColumns } from './columns/normalize-columns.js';
export { createCsvStream } from './csv/create-csv-stream.js';
export {
  type CsvLineEnding,
  type CsvProfile,
  type CsvQuoteMode,
  type CsvStreamOptions,
  csvLineEndings,
  csvProfiles,
  csvQuoteModes,
  type NormalizedCsvOptions,
  normalizeCsvOptions,
} from './csv/normalize-csv-options.js';
export {
  type AtomicFile,
  openAtomicFile,
  partialFileSuffix,
  temporaryPathFor,
} from './destination/atomic-file.js';
export {
  ExportAbortError,
  ExportError,
  type ExportErrorCode,
  type ExportErrorOptions,
  ExportTimeoutError,
  exportErrorCodes,
} from './errors.js';
export type {
  CsvFormatOptions,
  ExportFormatOptions,
  ExportProgress,
  ExportSettings,
  PdfFormatOptions,
  RunExportOptions,
  XlsxFormatOptions,
} from './export-options.js';
export { assertExportFormat, type ExportFormat, exportFormats, isExportFormat } from './formats.js';
export { assertPdfTableCanFit } from './pdf/assert-pdf-table-can-fit.js';
export { bundledFontPaths } from './pdf/bundled-fonts.js';
export { createPdfStream, type PdfTableStream } from './pdf/create-pdf-stream.js';
export { measurePdfColumns, type PdfColumnMeasurement } from './pdf/measure-pdf-columns.js';
export type { PdfColumnWidth, PdfMeasuredWidths } from './pdf/measured-widths.js';
export {
  type NormalizedPdfOptions,
  normalizePdfOptions,
  type PdfOrientation,
  type PdfPageSize,
  type PdfStreamOptions,
  pdfDefaults,
  pdfFontSizeRange,
  pdfOrientations,
  pdfPageSizes,
} from './pdf/normalize-pdf-options.js';
export { minimumNumberFontSize } from './pdf/number-fit.js';
export {
  createExportPool,
  type ExportPool,
  type ExportPoolStats,
  type PoolExportOptions,
  type PoolSpoolOptions,
} from './pool/create-export-pool.js';
export type { SpoolResult } from './pool/export-task.js';
export type { JsonInspection } from './pool/inspect-json-task.js';
export {
  type ExportPoolOptions,
  exportPoolDefaults,
  type NormalizedExportPoolOptions,
} from './pool/normalize-pool-options.js';
export type { PoolBytes, PoolSource } from './pool/pool-source.js';
export { type ExportResult, runExport } from './run-export.js';
export { type FromJsonArrayOptions, fromJsonArray } from './source/from-json-array.js';
export { type FromNdjsonOptions, fromNdjson } from './source/from-ndjson.js';
export {
  type InspectJsonDocumentOptions,
  inspectJsonDocument,
  type JsonByteRange,
  type JsonDocumentInspection,
} from './source/inspect-json-document.js';
export { JsonDocumentInspector } from './source/json-document-inspector.js';
export { defaultMaxRecordDepth } from './source/max-depth-option.js';
export { keysInSourceOrder } from './source/source-key-order.js';
export { type ExportSource, isExportSource, toAsyncIterable } from './source/to-async-iterable.js';
export { ExactNumber, isExactNumber } from './values/exact-number.js';
export { formatCellValue } from './values/format-cell-value.js';
export type { TruncatedCells } from './values/truncated-cells.js';
export { createXlsxStream, type XlsxTableStream } from './xlsx/create-xlsx-stream.js';
export {
  measureXlsxColumns,
  type XlsxColumnMeasurement,
} from './xlsx/measure-xlsx-columns.js';
export {
  type NormalizedXlsxOptions,
  normalizeXlsxOptions,
  type XlsxStreamOptions,
} from './xlsx/normalize-xlsx-options.js';
export type { XlsxMeasuredWidths } from './xlsx/xlsx-column-widths.js';
export { assertXlsxColumnCount, xlsxLimits } from './xlsx/xlsx-limits.js';
