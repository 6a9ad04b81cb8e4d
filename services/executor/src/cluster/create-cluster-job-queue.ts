import { mkdir, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { ClusterUnavailableError } from '../errors.js';
import { countFailure, countRefusal } from '../exports/execute-export.js';
import { jobArtifactOf } from '../jobs/job-artifact.js';
import { compareNewestFirst, decodeJobCursor, encodeJobCursor } from '../jobs/job-cursor.js';
import { type JobFiles, removeRunFiles } from '../jobs/job-files.js';
import type {
  ExpiringJobQueue,
  JobQueueSettings,
  JobSnapshot,
  JobViewer,
} from '../jobs/job-queue.js';
import { jobQuotaError, quotaUserOf } from '../jobs/job-quota.js';
import { emptyJobCounts, finishedJobStatuses, type JobRecord } from '../jobs/job-record.js';
import { spoolSubmission } from '../jobs/spool-submission.js';
import type { ClusterJobRecords } from './cluster-job-records.js';
import type { ClusterKeys } from './cluster-keys.js';
import type { ClusterSlots } from './cluster-slots.js';
import { currentJobs } from './current-jobs.js';
import {
  type ClusterJobData,
  cancelReasons,
  createClusterJobProcessor,
} from './process-cluster-job.js';

/** `context.sharedSlots` must be the cluster's `slots`. */
export interface ClusterJobQueueOptions extends JobQueueSettings {
  redis: Redis;
  /** The BullMQ queue every replica adds to; its connection options make this replica's worker. */
  queue: Queue<ClusterJobData>;
  keys: ClusterKeys;
  records: ClusterJobRecords;
  slots: ClusterSlots;
  /** Job folders under EXPORT_DIR, which every replica must share. */
  files: JobFiles;
  /** How long a replica's hold on a job lasts without renewal (BullMQ's lock). */
  lockMs: number;
}

/** Its `unavailability` is this replica's connection to Redis. */
export type ClusterJobQueue = ExpiringJobQueue;

const pageBatch = 200;
const cancelPollMs = 100;

/**
 * Jobs shared by every replica through BullMQ on Redis: any replica accepts, lists, cancels and
 * serves any job; each runs up to its EXPORT_MAX_CONCURRENT of them, and the cluster's slots cap
 * how many run across all replicas. Records live in Redis, files in the shared EXPORT_DIR.
 */
export function createClusterJobQueue(options: ClusterJobQueueOptions): ClusterJobQueue {
  const { redis, queue, keys, records, slots, context, files, log, maxRows, lockMs } = options;
  const { maxLineBytes, retentionMs, maxJobsPerUser } = options;
  const now = options.now ?? Date.now;
  const isoNow = () => new Date(now()).toISOString();
  const { limiter } = context;
  let subscriber: Redis | undefined;
  let closing: Promise<void> | undefined;

  // Jobs this replica's worker holds, until BullMQ has moved them out of its active list.
  const heldJobs = new Map<string, { promise: Promise<void>; settle: () => void }>();
  function leftActive(id: string): { promise: Promise<void>; settle: () => void } {
    const held = heldJobs.get(id);
    if (held) return held;
    let resolve = () => {};
    const promise = new Promise<void>((settle) => {
      resolve = settle;
    });
    const entry = {
      promise,
      settle: () => {
        resolve();
        if (heldJobs.get(id) === entry) heldJobs.delete(id);
      },
    };
    heldJobs.set(id, entry);
    return entry;
  }

  const worker = new Worker<ClusterJobData>(
    queue.name,
    createClusterJobProcessor({
      records,
      isCancelRequested: async (id) => (await redis.exists(keys.cancel(id))) === 1,
      files,
      context,
      log,
      maxLineBytes,
      isoNow,
      leftActive,
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
      concurrency: limiter.stats().maxConcurrent,
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
  worker.on('completed', (job) => heldJobs.get(job.id ?? '')?.settle());
  worker.on('failed', (job) => heldJobs.get(job?.id ?? '')?.settle());
  worker.on('lockRenewalFailed', (ids) => {
    for (const id of ids) worker.cancelJob(id, cancelReasons.lockLost);
  });

  function unavailability(): Error | undefined {
    if (redis.status === 'ready') return undefined;
    return new ClusterUnavailableError(`this replica's connection is ${redis.status}`);
  }

  /** Fails fast while Redis is unreachable; a Redis error mid-call is a 503 as well. */
  async function inCluster<Value>(work: () => Promise<Value>): Promise<Value> {
    const unavailable = unavailability();
    if (unavailable) throw unavailable;
    try {
      return await work();
    } catch (error) {
      const down = unavailability();
      if (down) throw Object.assign(down, { cause: error });
      throw error;
    }
  }

  const visible = (record: JobRecord, viewer: JobViewer) =>
    viewer === undefined || record.owner === viewer;

  const current = currentJobs({ queue, records, files, now });

  // Files first: a job that reads as gone has nothing left on disk, and one whose files could
  // not be removed keeps its record, for the next sweep to try again.
  async function removeJob(record: JobRecord): Promise<void> {
    await rm(files.folder(record.id), { recursive: true, force: true });
    await queue.remove(record.id).catch(() => 0);
    await records.remove(record);
  }

  /** Every visible record, newest first, in batches: for the list and the counts. */
  async function* visibleRecords(viewer: JobViewer): AsyncGenerator<JobRecord[]> {
    for (let offset = 0; ; offset += pageBatch) {
      const ids = await records.idsNewestFirst(offset, pageBatch);
      if (ids.length === 0) return;
      const found = (await records.getMany(ids)).filter(
        (record): record is JobRecord => record !== undefined && visible(record, viewer),
      );
      yield found;
      if (ids.length < pageBatch) return;
    }
  }

  async function waitUntilFinished(id: string): Promise<JobRecord | undefined> {
    // A running job stops within moments; one on a replica that died, once BullMQ hands it on.
    const deadline = now() + 2 * lockMs + 30_000;
    for (;;) {
      const record = await records.get(id);
      if (!record || finishedJobStatuses.has(record.status) || now() > deadline) return record;
      await sleep(cancelPollMs);
    }
  }

  async function sweepExpired(): Promise<number> {
    const cutoff = now() - retentionMs;
    let swept = 0;
    for (;;) {
      const ids = await records.finishedBefore(cutoff, 100);
      if (ids.length === 0) break;
      for (const record of await records.getMany(ids)) {
        if (record) await removeJob(record);
      }
      // A record gone meanwhile leaves its id in the index: drop it too.
      await redis.zrem(keys.finished, ...ids);
      swept += ids.length;
    }
    if (swept > 0) log.info({ swept, retentionMs }, 'expired export jobs deleted');
    return swept;
  }

  return {
    concurrency: limiter.stats().maxConcurrent,

    enqueue: (submission) =>
      inCluster(async () => {
        const { format } = submission;
        // Turned away before the upload is read: a flood of 429s must cost little.
        const early = await slots.refusal();
        if (early) throw countRefusal(context, format, early);
        // Not atomic with the save below: submissions in flight at once may pass it together.
        if ((await records.countKeptBy(quotaUserOf(submission))) >= maxJobsPerUser) {
          throw countRefusal(context, format, jobQuotaError(maxJobsPerUser));
        }
        const record = await spoolSubmission(submission, {
          files,
          pool: context.pool,
          maxRows,
          isoNow,
        }).catch((error: unknown) => {
          throw countFailure(context, format, error);
        });
        const { id } = record;
        let admission: { settle: () => Promise<void> } | undefined;
        try {
          admission = await slots.admit(id).catch((error: unknown) => {
            throw countRefusal(context, format, error as Error);
          });
          // The record first: a replica that takes the job at once must find it.
          await records.save(record);
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
          await records.remove(record).catch(() => {});
          await rm(files.folder(id), { recursive: true, force: true });
          throw error;
        } finally {
          await admission?.settle().catch(() => {});
        }
      }),

    get: (id, viewer) =>
      inCluster(async () => {
        const record = await records.get(id);
        if (!record || !visible(record, viewer)) return undefined;
        return (await current([record]))[0];
      }),

    list: ({ viewer, status, format, limit, cursor }) =>
      inCluster(async () => {
        const after = cursor === undefined ? undefined : decodeJobCursor(cursor);
        const matching: JobSnapshot[] = [];
        for await (const batch of visibleRecords(viewer)) {
          const candidates = batch.filter(
            (record) =>
              (format === undefined || record.format === format) &&
              (after === undefined || compareNewestFirst(record, after) > 0),
          );
          for (const job of await current(candidates)) {
            if (status === undefined || job.status === status) matching.push(job);
          }
          if (matching.length > limit) break;
        }
        matching.sort(compareNewestFirst);
        const page = matching.slice(0, limit);
        const last = page.at(-1);
        return {
          jobs: page,
          nextCursor: matching.length > limit && last ? encodeJobCursor(last) : null,
        };
      }),

    delete: (id, viewer) =>
      inCluster(async () => {
        const record = await records.get(id);
        if (!record || !visible(record, viewer)) return undefined;
        if (finishedJobStatuses.has(record.status)) {
          await removeJob(record);
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
          const cancelled: JobRecord = { ...latest, status: 'cancelled', finishedAt: isoNow() };
          await records.save(cancelled);
          await removeRunFiles(files, cancelled);
          return { outcome: 'cancelled' as const, job: { ...cancelled, progressRows: 0 } };
        }
        // Running (or about to) on some replica: it stops, removes its temp file and records it.
        await redis.publish(keys.cancelChannel, id);
        const finished = (await waitUntilFinished(id)) ?? record;
        return { outcome: 'cancelled' as const, job: { ...finished, progressRows: 0 } };
      }),

    artifact: (id, viewer) =>
      inCluster(async () => {
        const record = await records.get(id);
        if (!record || !visible(record, viewer)) return undefined;
        return jobArtifactOf(files, record);
      }),

    counts: (viewer) =>
      inCluster(async () => {
        const counts = emptyJobCounts();
        for await (const batch of visibleRecords(viewer)) {
          for (const job of await current(batch)) counts[job.status] += 1;
        }
        return counts;
      }),

    async start() {
      await mkdir(files.root, { recursive: true });
      // Every replica sets the same cap; BullMQ then hands out at most that many jobs at once.
      await queue.setGlobalConcurrency(slots.maxRunning);
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
          clusterMaxConcurrent: slots.maxRunning,
        },
        'export worker started',
      );
    },

    close() {
      // Stops taking jobs and waits for the running ones: the limiter's grace period ends them.
      closing ??= (async () => {
        await worker.close();
        await subscriber?.quit().catch(() => {});
      })();
      return closing;
    },

    sweepExpired,
    unavailability,

    recovered: () => Promise.resolve(),
  };
}
