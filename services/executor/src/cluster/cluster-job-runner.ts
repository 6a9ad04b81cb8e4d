import { mkdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Queue } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import { InterruptedError } from '../errors.js';
import type { ExportContext } from '../exports/execute-export.js';
import type { JobRecordStore, JobRunner } from '../jobs/job-backend.js';
import { verdictOf } from '../jobs/job-error.js';
import { type JobFiles, removeJobFiles } from '../jobs/job-files.js';
import type { JobLifecycle } from '../jobs/job-lifecycle.js';
import { finishedJobStatuses, type JobRecord } from '../jobs/job-record.js';
import { clusterAvailability } from './cluster-availability.js';
import type { ClusterKeys } from './cluster-keys.js';
import type { ClusterSlots } from './cluster-slots.js';
import type { ClusterWorker } from './cluster-worker.js';
import type { CurrentJobs } from './current-jobs.js';
import type { ClusterJobData } from './process-cluster-job.js';

export interface ClusterJobRunnerOptions {
  redis: Redis;
  queue: Queue<ClusterJobData>;
  keys: ClusterKeys;
  slots: ClusterSlots;
  store: JobRecordStore;
  jobs: CurrentJobs;
  worker: ClusterWorker;
  lifecycle: JobLifecycle;
  context: ExportContext;
  files: JobFiles;
  log: FastifyBaseLogger;
  /** How long a replica's hold on a job lasts without renewal (BullMQ's lock). */
  lockMs: number;
  retentionMs: number;
  now: () => number;
}

const cancelPollMs = 100;

/**
 * Runs jobs through BullMQ on every replica: admitted atomically against the cluster's queue,
 * taken by any replica's worker (cluster-worker.ts), cancelled through Redis from any replica.
 */
export function createClusterJobRunner(options: ClusterJobRunnerOptions): JobRunner {
  const { redis, queue, keys, slots, store, jobs, worker, lifecycle, files, log } = options;
  const { lockMs, retentionMs, now } = options;
  const { inCluster, unavailability } = clusterAvailability(redis);

  async function waitUntilFinished(id: string): Promise<JobRecord | undefined> {
    // A running job stops within moments; one on a replica that died, once BullMQ hands it on.
    const deadline = now() + 2 * lockMs + 30_000;
    for (;;) {
      const record = await store.get(id);
      if (!record || finishedJobStatuses.has(record.status) || now() > deadline) return record;
      await sleep(cancelPollMs);
    }
  }

  return {
    concurrency: options.context.limiter.stats().maxConcurrent,

    refusal: () => slots.refusal(),

    async admit(record) {
      const { id } = record;
      let admission: { settle: () => Promise<void> } | undefined;
      try {
        admission = await slots.admit(id);
        // The record first: a replica that takes the job at once must find it.
        await store.save(record);
        await queue.add(
          'export',
          { id },
          {
            jobId: id,
            // Only when its record could not be written (Redis lost): runs again from the start.
            attempts: 3,
            backoff: { type: 'exponential', delay: 1000 },
            removeOnComplete: true,
            removeOnFail: { age: Math.ceil(retentionMs / 1000) },
          },
        );
        return { ...record, progressRows: 0 };
      } catch (error) {
        await store.remove(record).catch(() => {});
        await removeJobFiles(files, id);
        throw error;
      } finally {
        await admission?.settle().catch(() => {});
      }
    },

    async cancel(record) {
      const { id } = record;
      // Set first: a replica about to start the job sees it and records the cancel itself.
      await redis.set(keys.cancel(id), '1', 'PX', Math.max(retentionMs, 60_000));
      if ((await queue.remove(id)) === 1) {
        // Out of BullMQ before any replica took it (or finished meanwhile: the record says).
        const latest = (await store.get(id)) ?? record;
        if (finishedJobStatuses.has(latest.status)) return latest;
        return lifecycle.ended(latest, 'cancelled', { error: undefined });
      }
      // Running (or about to) on some replica: it stops, removes its temp file and records it.
      await redis.publish(keys.cancelChannel, id);
      return (await waitUntilFinished(id)) ?? record;
    },

    current: (records) => jobs.current(records),
    unavailability,
    guard: inCluster,

    async start() {
      await mkdir(files.root, { recursive: true });
      await worker.start();
    },
    recovered: () => Promise.resolve(),
    close: () => worker.close(),

    // Reads only show them failed: the sweep, which any replica may run, records it.
    async beforeSweep() {
      let failed = 0;
      for await (const batch of store.newestFirst()) {
        for (const orphan of await jobs.orphans(batch)) {
          await lifecycle.failed(orphan, verdictOf(new InterruptedError()));
          failed += 1;
        }
      }
      if (failed > 0) log.warn({ failed }, 'export jobs no replica runs any more failed');
    },
  };
}
