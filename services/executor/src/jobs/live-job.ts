import type { JobSnapshot } from './job-queue.js';
import type { JobRecord } from './job-record.js';

/** A job as the embedded queue holds it: the stored record and what only this process knows. */
export interface LiveJob {
  record: JobRecord;
  progressRows: number;
  cancelRequested: boolean;
  /** Present while a DELETE stops the job; a second DELETE waits for the first. */
  cancelling?: Promise<void> | undefined;
  abort?: AbortController | undefined;
  /** Resolves once the job's run is over and recorded; never rejects. */
  settled?: Promise<void> | undefined;
}

/** A copy the caller may keep: later changes to the job do not reach it. */
export function snapshotOf(job: LiveJob): JobSnapshot {
  return { ...structuredClone(job.record), progressRows: job.progressRows };
}
