import type { FailReasonLabel, OutcomeLabel } from './label-values.js';

export interface ExportErrorClass {
  outcome: Exclude<OutcomeLabel, 'success' | 'other'>;
  /** Set for `failure` only: the reason label of `export_fail_total`. */
  reason?: FailReasonLabel;
}

// By error code, so this package needs neither export-core nor export-limiter. Codes of the
// executor (EXECUTOR_…), the service of this repository, are counted here too, so that it needs
// no table of its own.
const rejectedCodes = new Set([
  'LIMITER_QUEUE_FULL',
  'LIMITER_KEY_QUEUE_FULL',
  'LIMITER_CLOSED',
  'EXPORT_POOL_CLOSED',
]);
// A trickling upload cut by the executor counts as the request timeout's cut does: the client
// did not deliver, nothing failed here. Node's bare "Premature close" (a hand-written pipeline
// into a response whose client hung up) is a reader that left, not a fault.
const cancelledCodes = new Set([
  'EXPORT_ABORTED',
  'LIMITER_ABORTED',
  'EXECUTOR_UPLOAD_TOO_SLOW',
  'ERR_STREAM_PREMATURE_CLOSE',
]);
const reasonByCode: Readonly<Record<string, FailReasonLabel>> = {
  EXPORT_UNSUPPORTED_FORMAT: 'validation',
  EXPORT_INVALID_OPTION: 'validation',
  EXPORT_NO_COLUMNS: 'validation',
  EXPORT_INVALID_RECORD: 'validation',
  EXPORT_INVALID_JSON: 'validation',
  EXPORT_INVALID_UTF8: 'validation',
  EXPORT_UNKNOWN_FIELD: 'validation',
  EXPORT_TABLE_TOO_WIDE: 'validation',
  EXPORT_LINE_TOO_LONG: 'validation',
  EXPORT_TOO_MANY_ROWS: 'validation',
  EXECUTOR_TOO_MANY_ROWS: 'validation',
  EXPORT_SOURCE_FAILED: 'source',
  EXPORT_WRITE_FAILED: 'write',
  LIMITER_QUEUE_TIMEOUT: 'timeout',
  // export-core's, for a signal that timed out (AbortSignal.timeout).
  EXPORT_TIMEOUT: 'timeout',
  // The executor's own run-time limit (EXPORT_JOB_TIMEOUT_S), around export-core's.
  EXECUTOR_EXPORT_TIMEOUT: 'timeout',
  EXPORT_WORKER_OUT_OF_MEMORY: 'memory',
};

// The file system refused for want of room or health, whatever wrapped it (EXPORT_WRITE_FAILED):
// what a disk-full alert watches. EFBIG, a file-size limit, stays `write`.
const diskErrnoCodes = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EIO']);
const maxCauseDepth = 8;

/** Whether `test` holds for the error or an error in its `cause` chain. */
function inCauseChain(error: unknown, test: (error: object) => boolean): boolean {
  let current = error;
  for (let depth = 0; depth < maxCauseDepth && current; depth += 1) {
    if (typeof current === 'object' && test(current)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

function hasDiskCause(error: unknown): boolean {
  return inCauseChain(error, (candidate) => {
    const code = (candidate as { code?: unknown }).code;
    return typeof code === 'string' && diskErrnoCodes.has(code);
  });
}

// `AbortSignal.timeout` aborts with a DOMException named TimeoutError: a deadline, not a caller
// who gave up, whatever error carries it (an uncoded one, or an abort with it as the cause).
function isTimeout(error: unknown): boolean {
  return inCauseChain(
    error,
    (candidate) => (candidate as { name?: unknown }).name === 'TimeoutError',
  );
}

/**
 * How an export that did not succeed counts: refused admission (a full queue, a closed limiter
 * or pool) is `rejected`, a caller's abort is `cancelled`, anything else a `failure` with a
 * reason from a fixed set: `disk` when a full or failing disk (ENOSPC, EDQUOT, EROFS, EIO) is
 * the error or its cause; `timeout` for a timeout code, and for an abort or an uncoded error
 * caused by a `TimeoutError` (a signal of `AbortSignal.timeout`).
 */
export function classifyExportError(error: unknown): ExportErrorClass {
  const code =
    typeof (error as { code?: unknown })?.code === 'string'
      ? (error as { code: string }).code
      : undefined;
  if (code && rejectedCodes.has(code)) return { outcome: 'rejected' };
  const isAbort =
    (code !== undefined && cancelledCodes.has(code)) ||
    (code === undefined && (error as { name?: unknown })?.name === 'AbortError');
  if ((isAbort || code === undefined) && isTimeout(error)) {
    return { outcome: 'failure', reason: 'timeout' };
  }
  if (isAbort) return { outcome: 'cancelled' };
  if (hasDiskCause(error)) return { outcome: 'failure', reason: 'disk' };
  return { outcome: 'failure', reason: (code && reasonByCode[code]) || 'internal' };
}
