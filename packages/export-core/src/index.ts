export type {
  ColumnAlignment,
  ColumnFormatter,
  ColumnOptions,
  ColumnsOption,
  ExportRecord,
  NormalizedColumn,
} from './columns/column-types.js';
export { columnAlignments } from './columns/column-types.js';
export { normalizeColumns } from './columns/normalize-columns.js';
export {
  ExportAbortError,
  ExportError,
  type ExportErrorCode,
  type ExportErrorOptions,
  exportErrorCodes,
} from './errors.js';
export { assertExportFormat, type ExportFormat, exportFormats, isExportFormat } from './formats.js';
