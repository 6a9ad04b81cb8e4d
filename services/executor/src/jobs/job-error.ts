import { exposedError } from '../exposed-error.js';
import type { JobError } from './job-record.js';

/** How a failed run's error is stored: as a client would be told it, never a path or a stack. */
export function jobErrorOf(error: unknown): JobError {
  const { code, message } = exposedError(error);
  return { code, message };
}

/**
 * The executor's own verdicts on a job (EXECUTOR_INTERRUPTED, EXECUTOR_ARTIFACT_LOST): worded for
 * the job's owner, so stored as they are though no HTTP answer would carry them.
 */
export function verdictOf(error: { code: string; message: string }): JobError {
  return { code: error.code, message: error.message };
}
