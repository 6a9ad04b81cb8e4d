import type { JobSnapshot } from '../jobs/job-queue.js';
import type { JobRecord } from '../jobs/job-record.js';

/** A job as the embedded queue holds it: the stored record and what only this process knows. */
export interface LiveJob {
  record: JobRecord;
  progressRows: number;
  cancelRequested: boolean;
  /** Present while a DELETE stops the job; a second DELETE waits for the first. */
  cancelling?: Promise<JobRecord> | undefined;
  abort?: AbortController | undefined;
  /** Resolves once the job's run is over and recorded; never rejects. */
  settled?: Promise<void> | undefined;
}

/**
 * The job as the routes see it. A record is replaced, never changed in place, so a snapshot
 * keeps what it showed.
 */
export function snapshotOf(job: LiveJob): JobSnapshot {
  return { ...job.record, progressRows: job.progressRows };
}
