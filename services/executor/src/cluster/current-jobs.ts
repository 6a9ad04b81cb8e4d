import type { Queue } from 'bullmq';
import { InterruptedError } from '../errors.js';
import { type JobFiles, removeRunFiles } from '../jobs/job-files.js';
import type { JobSnapshot } from '../jobs/job-queue.js';
import { finishedJobStatuses, type JobRecord } from '../jobs/job-record.js';
import type { ClusterJobRecords } from './cluster-job-records.js';
import type { ClusterJobData } from './process-cluster-job.js';

// Longer than an admission may take: a job record whose BullMQ job never appeared is an orphan.
const orphanAfterMs = 60_000;

export interface CurrentJobsOptions {
  queue: Queue<ClusterJobData>;
  records: ClusterJobRecords;
  files: JobFiles;
  now: () => number;
}

/**
 * What clients see: the record, checked against BullMQ for a job not yet finished. A job whose
 * replica died waits again in BullMQ (shown queued); one BullMQ gave up on, or that never
 * reached BullMQ, is failed for good.
 */
export function currentJobs({ queue, records, files, now }: CurrentJobsOptions) {
  const isoNow = () => new Date(now()).toISOString();
  return async function current(found: JobRecord[]): Promise<JobSnapshot[]> {
    const unfinished = found.filter((record) => !finishedJobStatuses.has(record.status));
    const states = new Map(
      await Promise.all(
        unfinished.map(async (record) => [record.id, await queue.getJobState(record.id)] as const),
      ),
    );
    const progress = new Map<string, number | undefined>();
    const running = unfinished.filter((record) => record.status === 'running');
    (await records.progressRows(running.map((record) => record.id))).forEach((rows, index) => {
      progress.set(running[index]?.id ?? '', rows);
    });
    return Promise.all(
      found.map(async (record): Promise<JobSnapshot> => {
        const state = states.get(record.id);
        if (state === undefined) return { ...record, progressRows: record.rows ?? 0 };
        if (state === 'active') {
          return { ...record, progressRows: progress.get(record.id) ?? 0 };
        }
        if (state === 'waiting' || state === 'prioritized' || state === 'delayed') {
          return { ...record, status: 'queued', startedAt: null, progressRows: 0 };
        }
        const orphan = state === 'unknown' && now() - Date.parse(record.createdAt) < orphanAfterMs;
        if (orphan) return { ...record, progressRows: 0 };
        // BullMQ finished with it; the record, read again, may have been finished meanwhile.
        const latest = (await records.get(record.id)) ?? record;
        if (finishedJobStatuses.has(latest.status)) {
          return { ...latest, progressRows: latest.rows ?? 0 };
        }
        const failed: JobRecord = {
          ...latest,
          status: 'failed',
          finishedAt: isoNow(),
          rows: null,
          bytes: null,
          sha256: null,
          error: { code: 'EXECUTOR_INTERRUPTED', message: new InterruptedError().message },
        };
        await records.save(failed);
        await removeRunFiles(files, record);
        return { ...failed, progressRows: 0 };
      }),
    );
  };
}
