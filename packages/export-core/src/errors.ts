/** Every code an `ExportError` can carry; documented in the package README. */
export const exportErrorCodes = [
  'EXPORT_UNSUPPORTED_FORMAT',
  'EXPORT_INVALID_OPTION',
  'EXPORT_NO_COLUMNS',
  'EXPORT_INVALID_RECORD',
  'EXPORT_INVALID_JSON',
  'EXPORT_INVALID_UTF8',
  'EXPORT_UNKNOWN_FIELD',
  'EXPORT_TABLE_TOO_WIDE',
  'EXPORT_LINE_TOO_LONG',
  'EXPORT_TOO_MANY_ROWS',
  'EXPORT_SOURCE_FAILED',
  'EXPORT_WRITE_FAILED',
  'EXPORT_ABORTED',
  'EXPORT_TIMEOUT',
  'EXPORT_WORKER_OUT_OF_MEMORY',
  'EXPORT_POOL_CLOSED',
  'EXPORT_INTERNAL',
] as const;

export type ExportErrorCode = (typeof exportErrorCodes)[number];

export interface ExportErrorOptions {
  cause?: unknown;
  /** Zero-based index of the record at fault, for record errors. */
  row?: number;
  /** One-based line number in an NDJSON source, for line errors. */
  line?: number;
  /**
   * Zero-based byte offset in a JSON source, for syntax errors; for EXPORT_INVALID_UTF8, of the
   * first invalid byte, from the start of the input.
   */
  offset?: number;
}

export class ExportError extends Error {
  override readonly name: string = 'ExportError';
  readonly code: ExportErrorCode;
  readonly row?: number;
  readonly line?: number;
  readonly offset?: number;

  constructor(code: ExportErrorCode, message: string, options: ExportErrorOptions = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.code = code;
    if (options.row !== undefined) this.row = options.row;
    if (options.line !== undefined) this.line = options.line;
    if (options.offset !== undefined) this.offset = options.offset;
  }
}

/**
 * An export stopped by its AbortSignal, or by its reader: a Writable destination closed before
 * the export ended it (an HTTP client that hung up). `name` is `AbortError`, as with fetch and
 * streams.
 */
export class ExportAbortError extends ExportError {
  override readonly name = 'AbortError';

  constructor(options: { cause?: unknown; message?: string } = {}) {
    const { message = 'the export was aborted', ...rest } = options;
    super('EXPORT_ABORTED', message, rest);
  }
}

/**
 * An export stopped by a signal that timed out (`AbortSignal.timeout`, whose reason is a
 * `TimeoutError` DOMException): `name` is `TimeoutError`, as fetch's, so that a deadline is not
 * counted as a caller who gave up.
 */
export class ExportTimeoutError extends ExportError {
  override readonly name = 'TimeoutError';

  constructor(options: { cause?: unknown } = {}) {
    super('EXPORT_TIMEOUT', 'the export was stopped: its signal timed out', options);
  }
}

/** The error for an export its signal stopped: a timeout when the reason says so, else an abort. */
export function abortErrorOf(signal: AbortSignal): ExportAbortError | ExportTimeoutError {
  const { reason } = signal;
  const timedOut = (reason as { name?: unknown } | null | undefined)?.name === 'TimeoutError';
  return timedOut
    ? new ExportTimeoutError({ cause: reason })
    : new ExportAbortError({ cause: reason });
}

/** The message of the ExportAbortError of a destination closed before the export ended it. */
export const destinationClosedMessage =
  'the export was aborted: its destination closed before the export ended it';
