import { Worker } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { ExportContext } from '../exports/execute-export.js';
import type { JobFiles } from '../jobs/job-files.js';
import type { JobLifecycle } from '../jobs/job-lifecycle.js';
import { createHeldJobs } from './held-jobs.js';
import type { ClusterHandles } from './join-cluster.js';
import {
  type ClusterJobData,
  cancelReasons,
  createClusterJobProcessor,
} from './process-cluster-job.js';

/** This replica's handles on the cluster, and what its jobs need to run here. */
export interface ClusterWorkerOptions extends ClusterHandles {
  files: JobFiles;
  lifecycle: JobLifecycle;
  context: ExportContext;
  log: FastifyBaseLogger;
  maxLineBytes: number;
}

export interface ClusterWorker {
  /** Joins the cap, listens for cancels and starts taking jobs. */
  start(): Promise<void>;
  /** Stops taking jobs and waits for the running ones: the limiter's grace period ends them. */
  close(): Promise<void>;
}

/**
 * This replica's BullMQ worker: it takes up to EXPORT_MAX_CONCURRENT jobs at once, stops the ones
 * a DELETE on any replica cancels (the cancel channel), and drops the ones whose lock it lost.
 */
export function createClusterWorker(options: ClusterWorkerOptions): ClusterWorker {
  const { redis, queue, keys, slots, context, log, lockMs } = options;
  const held = createHeldJobs();
  let subscriber: Redis | undefined;
  let closing: Promise<void> | undefined;

  const worker = new Worker<ClusterJobData>(
    queue.name,
    createClusterJobProcessor({
      ...options,
      isCancelRequested: async (id) => (await redis.exists(keys.cancel(id))) === 1,
      leftActive: held.leftActive,
    }),
    {
      // As BullMQ wants for a worker: commands wait out an outage instead of failing its loop.
      connection: {
        ...queue.opts.connection,
        enableOfflineQueue: true,
        maxRetriesPerRequest: null,
      },
      prefix: queue.opts.prefix,
      autorun: false,
      concurrency: context.limiter.stats().maxConcurrent,
      lockDuration: lockMs,
      stalledInterval: lockMs,
      // A job whose replica died twice while running it fails: it may be what kills them.
      maxStalledCount: 2,
    },
  );
  // During an outage every connection fails over and over: join-cluster.ts says so once.
  const logError = (what: string) => (error: Error) => {
    if (redis.status === 'ready') log.warn({ err: error }, `${what} failed`);
    else log.debug({ err: error }, `${what} failed while Redis is unreachable`);
  };
  worker.on('error', logError('export worker'));
  worker.on('completed', (job) => held.settle(job.id ?? ''));
  worker.on('failed', (job, error) => {
    held.settle(job?.id ?? '');
    // The processor threw (its end could not be recorded, the store failed before the export
    // ran): BullMQ tries again, up to its attempts, and the operator should see why.
    if (job) {
      log.warn(
        { err: error, jobId: job.id, attempt: job.attemptsMade },
        'export job attempt failed',
      );
    }
  });
  worker.on('lockRenewalFailed', (ids) => {
    for (const id of ids) worker.cancelJob(id, cancelReasons.lockLost);
  });

  return {
    async start() {
      // Every replica sets the same cap; BullMQ then hands out at most that many jobs at once.
      await queue.setGlobalConcurrency(slots.maxConcurrent);
      subscriber = redis.duplicate({ enableOfflineQueue: true });
      subscriber.on('error', logError('export cancel channel'));
      subscriber.on('message', (_channel, id: string) => {
        worker.cancelJob(id, cancelReasons.cancelled);
      });
      await subscriber.subscribe(keys.cancelChannel);
      void worker.run().catch((error: unknown) => {
        log.error({ err: error }, 'export worker stopped');
      });
      await worker.waitUntilReady();
      log.info(
        {
          queue: queue.name,
          concurrency: worker.concurrency,
          clusterMaxConcurrent: slots.maxConcurrent,
        },
        'export worker started',
      );
    },

    close() {
      closing ??= (async () => {
        await worker.close();
        await subscriber?.quit().catch(() => {});
      })();
      return closing;
    },
  };
}
