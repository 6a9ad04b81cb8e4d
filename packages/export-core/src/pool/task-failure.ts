import { describeValue } from '../describe-value.js';
import { abortErrorOf, ExportError } from '../errors.js';
import type { SerializedError } from './export-task.js';
import { reviveError } from './serialize-error.js';

/** The error to throw for a failed task, with the caller's own source error as its cause. */
export function failureOf(
  serialized: SerializedError,
  signal: AbortSignal | undefined,
  sourceFailure: unknown,
): ExportError {
  if (signal?.aborted) return abortErrorOf(signal);
  if (sourceFailure !== undefined) {
    if (sourceFailure instanceof ExportError) return sourceFailure;
    return new ExportError(
      'EXPORT_SOURCE_FAILED',
      `the source failed after ${serialized.row ?? 0} records: ${(sourceFailure as Error)?.message ?? describeValue(sourceFailure)}`,
      { cause: sourceFailure, ...(serialized.row === undefined ? {} : { row: serialized.row }) },
    );
  }
  return reviveError(serialized, signal?.reason);
}

/** A worker that died under its task: past its heap cap, or killed. */
export function workerLost(error: unknown, maxHeapMb: number): SerializedError {
  const code = (error as { code?: unknown })?.code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return {
      name: 'ExportError',
      code: 'EXPORT_WORKER_OUT_OF_MEMORY',
      message: `the export ran out of memory: it needed more than its worker's heap cap of ${maxHeapMb} MB (option \`maxHeapMb\`)`,
    };
  }
  return {
    name: 'ExportError',
    code: 'EXPORT_INTERNAL',
    message: `the export's worker thread failed: ${(error as Error)?.message ?? describeValue(error)}`,
  };
}
