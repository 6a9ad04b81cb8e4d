import {
  ExportAbortError,
  ExportError,
  type ExportErrorCode,
  exportErrorCodes,
} from '../errors.js';
import type { SerializedError } from './export-task.js';

const knownCodes: ReadonlySet<string> = new Set(exportErrorCodes);

/** An error as plain data for postMessage, which would drop its class and its `code`. */
export function serializeError(error: unknown): SerializedError {
  const { name, code, message, row, line, offset } = (error ?? {}) as Partial<ExportError>;
  const serialized: SerializedError = {
    name: typeof name === 'string' ? name : 'Error',
    message: typeof message === 'string' ? message : String(error),
  };
  if (typeof code === 'string') serialized.code = code;
  if (typeof row === 'number') serialized.row = row;
  if (typeof line === 'number') serialized.line = line;
  if (typeof offset === 'number') serialized.offset = offset;
  return serialized;
}

/** The ExportError a worker reported, rebuilt on this side with the same code and details. */
export function reviveError(serialized: SerializedError, abortReason?: unknown): ExportError {
  const { code, message, row, line, offset } = serialized;
  if (code === 'EXPORT_ABORTED') return new ExportAbortError({ cause: abortReason });
  if (code === undefined || !knownCodes.has(code)) {
    return new ExportError('EXPORT_INTERNAL', `the export failed in its worker: ${message}`);
  }
  return new ExportError(code as ExportErrorCode, message, {
    ...(row === undefined ? {} : { row }),
    ...(line === undefined ? {} : { line }),
    ...(offset === undefined ? {} : { offset }),
  });
}
