/**
 * The HTTP status of each code of `@org/export-core` and `@org/export-limiter`. By code, so that
 * an error that crossed a worker thread, or a service's own error with a library code, maps the
 * same. A client's mistake is a 4xx; a refusal to admit is a 429 or 503; the rest is ours (500).
 */
export const exportErrorStatuses: Readonly<Record<string, number>> = Object.freeze({
  EXPORT_UNSUPPORTED_FORMAT: 400,
  EXPORT_INVALID_OPTION: 400,
  EXPORT_NO_COLUMNS: 400,
  EXPORT_INVALID_RECORD: 400,
  EXPORT_INVALID_JSON: 400,
  EXPORT_INVALID_UTF8: 400,
  EXPORT_UNKNOWN_FIELD: 400,
  EXPORT_TABLE_TOO_WIDE: 400,
  EXPORT_LINE_TOO_LONG: 413,
  EXPORT_TOO_MANY_ROWS: 413,
  EXPORT_WORKER_OUT_OF_MEMORY: 413,
  // The source is the caller's (a database cursor, say) unless a service knows it is the client's.
  EXPORT_SOURCE_FAILED: 500,
  EXPORT_WRITE_FAILED: 500,
  EXPORT_INTERNAL: 500,
  // Stopped by a closing limiter's timeout, or by a client that left (who sees no answer).
  EXPORT_ABORTED: 503,
  EXPORT_POOL_CLOSED: 503,
  LIMITER_QUEUE_FULL: 429,
  LIMITER_KEY_QUEUE_FULL: 429,
  LIMITER_QUEUE_TIMEOUT: 503,
  LIMITER_CLOSED: 503,
  LIMITER_ABORTED: 503,
  LIMITER_INVALID_OPTION: 500,
  LIMITER_INVALID_ARGUMENT: 500,
  LIMITER_LISTENER_FAILED: 500,
});

/**
 * The status to answer an export's error with: by its code (`exportErrorStatuses`), else its own
 * `statusCode` (a Fastify error's) when it is one of 400–599, else 500.
 */
export function httpStatusOfExportError(error: unknown): number {
  const { code, statusCode } = (error ?? {}) as { code?: unknown; statusCode?: unknown };
  const byCode = typeof code === 'string' ? exportErrorStatuses[code] : undefined;
  if (byCode !== undefined) return byCode;
  if (typeof statusCode === 'number' && Number.isInteger(statusCode)) {
    if (statusCode >= 400 && statusCode <= 599) return statusCode;
  }
  return 500;
}

/** Whole seconds after which a refused export may be retried (a full queue's), if it says. */
export function retryAfterSecondsOf(error: unknown): number | undefined {
  const { retryAfterSeconds } = (error ?? {}) as { retryAfterSeconds?: unknown };
  return typeof retryAfterSeconds === 'number' &&
    Number.isSafeInteger(retryAfterSeconds) &&
    retryAfterSeconds >= 0
    ? retryAfterSeconds
    : undefined;
}
