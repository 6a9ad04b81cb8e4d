import {
  ExportAbortError,
  ExportError,
  type ExportErrorCode,
  ExportTimeoutError,
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
  const cause = systemCauseOf(error);
  if (cause) serialized.cause = cause;
  return serialized;
}

// Node's system errors carry an errno name (ENOSPC, EIO, EFBIG): worth keeping across threads.
const systemCode = /^E[A-Z0-9]+$/;
const maxCauseDepth = 8;

function systemCauseOf(error: unknown): SerializedError['cause'] {
  let current = (error as { cause?: unknown } | undefined)?.cause;
  for (let depth = 0; depth < maxCauseDepth && current; depth += 1) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && systemCode.test(code) && !code.startsWith('EXPORT_')) {
      return { code, message: typeof message === 'string' ? message : code };
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The ExportError a worker reported, rebuilt on this side with the same code and details. */
export function reviveError(serialized: SerializedError, abortReason?: unknown): ExportError {
  const { code, message, row, line, offset, cause } = serialized;
  if (code === 'EXPORT_ABORTED') return new ExportAbortError({ cause: abortReason });
  if (code === 'EXPORT_TIMEOUT') return new ExportTimeoutError({ cause: abortReason });
  const systemCause = cause && Object.assign(new Error(cause.message), { code: cause.code });
  if (code === undefined || !knownCodes.has(code)) {
    return new ExportError('EXPORT_INTERNAL', `the export failed in its worker: ${message}`, {
      ...(systemCause ? { cause: systemCause } : {}),
    });
  }
  return new ExportError(code as ExportErrorCode, message, {
    ...(systemCause ? { cause: systemCause } : {}),
    ...(row === undefined ? {} : { row }),
    ...(line === undefined ? {} : { line }),
    ...(offset === undefined ? {} : { offset }),
  });
}
