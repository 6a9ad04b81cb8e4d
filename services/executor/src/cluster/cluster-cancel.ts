import { setTimeout as sleep } from 'node:timers/promises';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobFiles } from '../jobs/job-files.js';
import type { JobLifecycle } from '../jobs/job-lifecycle.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { finishedJobStatuses, type JobRecord } from '../jobs/job-record.js';
import { isVisibleTo } from '../jobs/job-visibility.js';
import type { ClusterJobRecords } from './cluster-job-records.js';
import { removeClusterJob } from './cluster-job-removal.js';
import type { ClusterKeys } from './cluster-keys.js';
import type { ClusterJobData } from './process-cluster-job.js';

export interface ClusterCancelOptions {
  redis: Redis;
  queue: Queue<ClusterJobData>;
  keys: ClusterKeys;
  records: ClusterJobRecords;
  files: JobFiles;
  lifecycle: JobLifecycle;
  /** How long a replica's hold on a job lasts without renewal (BullMQ's lock). */
  lockMs: number;
  retentionMs: number;
  now: () => number;
}

const cancelPollMs = 100;

/**
 * DELETE in the cluster: a finished job is deleted; a queued one leaves BullMQ and is recorded
 * cancelled here; a running one is told to stop on whichever replica runs it, which records it.
 */
export function clusterCancel(options: ClusterCancelOptions): JobQueue['delete'] {
  const { redis, queue, keys, records, lifecycle, lockMs, retentionMs, now } = options;

  async function waitUntilFinished(id: string): Promise<JobRecord | undefined> {
    // A running job stops within moments; one on a replica that died, once BullMQ hands it on.
    const deadline = now() + 2 * lockMs + 30_000;
    for (;;) {
      const record = await records.get(id);
      if (!record || finishedJobStatuses.has(record.status) || now() > deadline) return record;
      await sleep(cancelPollMs);
    }
  }

  return async (id, viewer) => {
    const record = await records.get(id);
    if (!record || !isVisibleTo(record, viewer)) return undefined;
    if (finishedJobStatuses.has(record.status)) {
      await removeClusterJob(options, record);
      return { outcome: 'deleted' as const, id };
    }
    // Set first: a replica about to start the job sees it and records the cancel itself.
    await redis.set(keys.cancel(id), '1', 'PX', Math.max(retentionMs, 60_000));
    if ((await queue.remove(id)) === 1) {
      // Out of BullMQ before any replica took it (or finished meanwhile: the record says).
      const latest = (await records.get(id)) ?? record;
      if (finishedJobStatuses.has(latest.status)) {
        return {
          outcome: 'cancelled' as const,
          job: { ...latest, progressRows: latest.rows ?? 0 },
        };
      }
      const cancelled = await lifecycle.ended(latest, 'cancelled', { error: undefined });
      return { outcome: 'cancelled' as const, job: { ...cancelled, progressRows: 0 } };
    }
    // Running (or about to) on some replica: it stops, removes its temp file and records it.
    await redis.publish(keys.cancelChannel, id);
    const finished = (await waitUntilFinished(id)) ?? record;
    return { outcome: 'cancelled' as const, job: { ...finished, progressRows: 0 } };
  };
}
