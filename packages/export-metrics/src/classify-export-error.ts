import type { FailReasonLabel, OutcomeLabel } from './label-values.js';

export interface ExportErrorClass {
  outcome: Exclude<OutcomeLabel, 'success' | 'other'>;
  /** Set for `failure` only: the reason label of `export_fail_total`. */
  reason?: FailReasonLabel;
}

// By error code, so this package needs neither export-core nor export-limiter.
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
  EXPORT_LINE_TOO_LONG: 'validation',
  EXPORT_TOO_MANY_ROWS: 'validation',
  EXECUTOR_TOO_MANY_ROWS: 'validation',
  EXPORT_SOURCE_FAILED: 'source',
  EXPORT_WRITE_FAILED: 'write',
  LIMITER_QUEUE_TIMEOUT: 'timeout',
  EXPORT_TIMEOUT: 'timeout',
  EXECUTOR_EXPORT_TIMEOUT: 'timeout',
  EXPORT_WORKER_OUT_OF_MEMORY: 'memory',
};

// The file system refused for want of room or health, whatever wrapped it (EXPORT_WRITE_FAILED):
// what a disk-full alert watches. EFBIG, a file-size limit, stays `write`.
const diskErrnoCodes = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EIO']);
const maxCauseDepth = 8;

function hasDiskCause(error: unknown): boolean {
  let current = error;
  for (let depth = 0; depth < maxCauseDepth && current; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && diskErrnoCodes.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * How an export that did not succeed counts: refused admission (a full queue, a closed limiter
 * or pool) is `rejected`, a caller's abort is `cancelled`, anything else a `failure` with a
 * reason from a fixed set: `disk` when a full or failing disk (ENOSPC, EDQUOT, EROFS, EIO) is
 * the error or its cause.
 */
export function classifyExportError(error: unknown): ExportErrorClass {
  const code =
    typeof (error as { code?: unknown })?.code === 'string'
      ? (error as { code: string }).code
      : undefined;
  if (code && rejectedCodes.has(code)) return { outcome: 'rejected' };
  if (code && cancelledCodes.has(code)) return { outcome: 'cancelled' };
  if ((error as { name?: unknown })?.name === 'AbortError' && code === undefined) {
    return { outcome: 'cancelled' };
  }
  if (hasDiskCause(error)) return { outcome: 'failure', reason: 'disk' };
  return { outcome: 'failure', reason: (code && reasonByCode[code]) || 'internal' };
}
