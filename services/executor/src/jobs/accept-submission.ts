import { countFailure, countRefusal, type ExportContext } from '../exports/execute-export.js';
import type { JobFiles } from './job-files.js';
import type { JobSubmission } from './job-queue.js';
import { jobQuotaError, quotaUserOf } from './job-quota.js';
import type { JobRecord } from './job-record.js';
import { spoolSubmission } from './spool-submission.js';

/** What a backend decides when a job is submitted; the order and the counting are shared. */
export interface SubmissionGate<Accepted> {
  /** The refusal it would answer now (a full queue), asked before the upload is read. */
  refusal(submission: JobSubmission): Promise<Error | undefined> | Error | undefined;
  /**
   * Holds a place in `user`'s quota of kept jobs, resolving with its release; `undefined` when
   * the quota is full.
   */
  reserveQuota(user: string): Promise<(() => void) | undefined> | (() => void) | undefined;
  /** Stores and queues the spooled job; rejects, having kept nothing, when it is refused. */
  admit(record: JobRecord): Promise<Accepted>;
}

export interface AcceptSubmissionSettings {
  context: ExportContext;
  files: JobFiles;
  maxRows: number;
  maxJobsPerUser: number;
  isoNow: () => string;
}

/**
 * A submission, accepted or refused the same way on every backend: refused before its upload
 * is read when there is no room, then held to its user's quota, spooled, and admitted. Every
 * refusal and failure is counted in the metrics, as a run's would be.
 */
export async function acceptSubmission<Accepted>(
  submission: JobSubmission,
  { context, files, maxRows, maxJobsPerUser, isoNow }: AcceptSubmissionSettings,
  gate: SubmissionGate<Accepted>,
): Promise<Accepted> {
  const { format } = submission;
  // Turned away before the upload is read: a flood of 429s must cost little.
  const early = await gate.refusal(submission);
  if (early) throw countRefusal(context, format, early);
  const releaseQuota = await gate.reserveQuota(quotaUserOf(submission));
  if (releaseQuota === undefined)
    throw countRefusal(context, format, jobQuotaError(maxJobsPerUser));
  let record: JobRecord;
  try {
    record = await spoolSubmission(submission, { files, pool: context.pool, maxRows, isoNow });
  } catch (error) {
    releaseQuota();
    throw countFailure(context, format, error);
  }
  try {
    return await gate.admit(record);
  } catch (error) {
    releaseQuota();
    // The limiter's refusals (a full or closing queue) are refusals; anything else failed.
    const code = (error as { code?: unknown } | undefined)?.code;
    if (typeof code === 'string' && code.startsWith('LIMITER_')) {
      throw countRefusal(context, format, error as Error);
    }
    throw error;
  }
}
