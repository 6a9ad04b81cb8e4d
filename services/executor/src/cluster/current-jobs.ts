import type { JobState, Queue } from 'bullmq';
import { InterruptedError } from '../errors.js';
import { verdictOf } from '../jobs/job-error.js';
import type { JobSnapshot } from '../jobs/job-queue.js';
import { finishedJobStatuses, type JobRecord } from '../jobs/job-record.js';
import { endedChange } from '../jobs/job-transitions.js';
import type { ClusterJobRecords } from './cluster-job-records.js';
import type { ClusterJobData } from './process-cluster-job.js';

// Longer than an admission may take: a job record whose BullMQ job never appeared is an orphan.
const orphanAfterMs = 60_000;

export interface CurrentJobsOptions {
  queue: Queue<ClusterJobData>;
  records: ClusterJobRecords;
  now: () => number;
}

export interface CurrentJobs {
  /**
   * What clients see: each record, checked against BullMQ when not finished. A job whose replica
   * died waits again in BullMQ (shown queued); one BullMQ gave up on, or that never reached
   * BullMQ, is shown failed with EXECUTOR_INTERRUPTED. Reads only: `orphans` finds those for
   * the retention sweep to record.
   */
  current(found: JobRecord[]): Promise<JobSnapshot[]>;
  /** The unfinished records BullMQ no longer runs nor holds, read again: to be failed for good. */
  orphans(found: JobRecord[]): Promise<JobRecord[]>;
}

type BullState = JobState | 'unknown';

export function currentJobs({ queue, records, now }: CurrentJobsOptions): CurrentJobs {
  const isoNow = () => new Date(now()).toISOString();

  async function statesOf(found: JobRecord[]): Promise<Map<string, BullState>> {
    const unfinished = found.filter((record) => !finishedJobStatuses.has(record.status));
    return new Map(
      await Promise.all(
        unfinished.map(async (record) => [record.id, await queue.getJobState(record.id)] as const),
      ),
    );
  }

  /** BullMQ finished with it, or never had it, and no admission can still be adding it. */
  const isOrphaned = (record: JobRecord, state: BullState) =>
    state !== 'active' &&
    state !== 'waiting' &&
    state !== 'prioritized' &&
    state !== 'delayed' &&
    !(state === 'unknown' && now() - Date.parse(record.createdAt) < orphanAfterMs);

  /** The record as read again: it may have been finished meanwhile. */
  async function latestUnfinished(record: JobRecord): Promise<JobRecord | undefined> {
    const latest = (await records.get(record.id)) ?? record;
    return finishedJobStatuses.has(latest.status) ? undefined : latest;
  }

  return {
    async current(found) {
      const states = await statesOf(found);
      const running = found.filter((record) => states.get(record.id) === 'active');
      const progress = new Map<string, number | undefined>();
      (await records.progressRows(running.map((record) => record.id))).forEach((rows, index) => {
        progress.set(running[index]?.id ?? '', rows);
      });
      return Promise.all(
        found.map(async (record): Promise<JobSnapshot> => {
          const state = states.get(record.id);
          if (state === undefined) return { ...record, progressRows: record.rows ?? 0 };
          if (state === 'active') return { ...record, progressRows: progress.get(record.id) ?? 0 };
          if (!isOrphaned(record, state)) {
            return state === 'unknown'
              ? { ...record, progressRows: 0 }
              : { ...record, status: 'queued', startedAt: null, progressRows: 0 };
          }
          const latest = (await records.get(record.id)) ?? record;
          if (finishedJobStatuses.has(latest.status)) {
            return { ...latest, progressRows: latest.rows ?? 0 };
          }
          const error = verdictOf(new InterruptedError());
          return { ...latest, ...endedChange('failed', isoNow(), error), progressRows: 0 };
        }),
      );
    },

    async orphans(found) {
      const states = await statesOf(found);
      const orphaned = found.filter((record) => {
        const state = states.get(record.id);
        return state !== undefined && isOrphaned(record, state);
      });
      const latest = await Promise.all(orphaned.map(latestUnfinished));
      return latest.filter((record): record is JobRecord => record !== undefined);
    },
  };
}
