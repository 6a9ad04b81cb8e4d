import { describeValue } from '../describe-value.js';
import { ExportError } from '../errors.js';
import type { ExportProgress, ExportSettings } from '../export-options.js';
import { normalizeRunOptions } from '../normalize-run-options.js';
import type { PoolExportOptions, PoolSpoolOptions } from './create-export-pool.js';

// Checked here, on the caller's thread, what a worker could not report well or at all: the rest
// (csv, pdf, xlsx, maxRows, …) the worker's runExport checks, with the same coded errors.

export function normalizeSpoolOptions(options: PoolSpoolOptions) {
  if (options === null || typeof options !== 'object') {
    throw invalid(`options must be an object, got ${describeValue(options)}`);
  }
  const { destination, signal, maxRows } = options;
  if (typeof destination !== 'string' || destination === '') {
    throw invalid(`option \`destination\` must be a file path, got ${describeValue(destination)}`);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw invalid(`option \`signal\` must be an AbortSignal, got ${describeValue(signal)}`);
  }
  if (maxRows !== undefined && !(Number.isSafeInteger(maxRows) && maxRows >= 0)) {
    throw invalid(`option \`maxRows\` must be an integer >= 0, got ${describeValue(maxRows)}`);
  }
  return { destination, signal, maxRows };
}

export function normalizeExportOptions<Row>(options: PoolExportOptions<Row>) {
  const { format, csv, pdf, xlsx, onProgress } = normalizeRunOptions(options);
  assertCloneableColumns(options.columns);
  return {
    ...options,
    format,
    csv,
    pdf,
    xlsx,
    onProgress: onProgress as ((progress: ExportProgress) => void) | undefined,
  };
}

/** Functions cannot cross to a worker thread: a column formatter has to stay in-process. */
function assertCloneableColumns(columns: ExportSettings['columns']): void {
  if (!Array.isArray(columns)) return;
  columns.forEach((column, index) => {
    if (
      column !== null &&
      typeof column === 'object' &&
      'format' in column &&
      column.format !== undefined
    ) {
      throw invalid(
        `option \`columns[${index}].format\` is a function, which cannot run in a worker thread; format the values before the export, or use runExport`,
      );
    }
  });
}

export function invalid(message: string): ExportError {
  return new ExportError('EXPORT_INVALID_OPTION', message);
}
