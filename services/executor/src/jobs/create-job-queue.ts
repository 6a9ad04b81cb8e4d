import type { FastifyBaseLogger } from 'fastify';
import type { ExportContext } from '../exports/execute-export.js';
import { acceptSubmission } from './accept-submission.js';
import { jobArtifactOf } from './job-artifact.js';
import type { JobBackend } from './job-backend.js';
import { compareNewestFirst, decodeJobCursor, encodeJobCursor } from './job-cursor.js';
import type { JobFiles } from './job-files.js';
import type { ExpiringJobQueue, JobSnapshot, JobViewer } from './job-queue.js';
import { emptyJobCounts, finishedJobStatuses, type JobRecord } from './job-record.js';
import { isVisibleTo } from './job-visibility.js';

export interface JobQueueOptions {
  backend: JobBackend;
  context: ExportContext;
  files: JobFiles;
  log: FastifyBaseLogger;
  maxRows: number;
  maxJobsPerUser: number;
  retentionMs: number;
  now: () => number;
}

/**
 * The async job API over any backend: admission, lookups, paging, cancel and delete, retention
 * and who sees what are decided here, once; a backend only stores records and runs jobs
 * (job-backend.ts).
 */
export function createJobQueue(options: JobQueueOptions): ExpiringJobQueue {
  const { backend, log, retentionMs, now } = options;
  const { store, runner } = backend;
  const isoNow = () => new Date(now()).toISOString();
  const admissionSettings = { ...options, isoNow };

  /** Every call but the counts first waits out the backend's unavailability (a 503). */
  function available<Value>(work: () => Promise<Value>): Promise<Value> {
    const unavailable = runner.unavailability();
    if (unavailable) return Promise.reject(unavailable);
    return runner.guard(work);
  }

  async function visible(id: string, viewer: JobViewer): Promise<JobRecord | undefined> {
    const record = await store.get(id);
    return record && isVisibleTo(record, viewer) ? record : undefined;
  }

  async function* visibleBatches(viewer: JobViewer): AsyncGenerator<JobRecord[]> {
    for await (const batch of store.newestFirst()) {
      yield batch.filter((record) => isVisibleTo(record, viewer));
    }
  }

  async function sweepExpired(): Promise<number> {
    await runner.beforeSweep?.();
    let swept = 0;
    for await (const batch of store.finishedBefore(now() - retentionMs)) {
      for (const record of batch) {
        await store.remove(record);
        swept += 1;
      }
    }
    if (swept > 0) log.info({ swept, retentionMs }, 'expired export jobs deleted');
    return swept;
  }

  return {
    concurrency: runner.concurrency,

    enqueue: (submission) =>
      available(() =>
        acceptSubmission(submission, admissionSettings, {
          refusal: runner.refusal,
          reserveQuota: store.reserveQuota,
          admit: runner.admit,
        }),
      ),

    get: (id, viewer) =>
      available(async () => {
        const record = await visible(id, viewer);
        return record && (await runner.current([record]))[0];
      }),

    list: ({ viewer, status, format, limit, cursor }) =>
      available(async () => {
        const after = cursor === undefined ? undefined : decodeJobCursor(cursor);
        const matching: JobSnapshot[] = [];
        for await (const batch of visibleBatches(viewer)) {
          const candidates = batch.filter(
            (record) =>
              (format === undefined || record.format === format) &&
              (after === undefined || compareNewestFirst(record, after) > 0),
          );
          for (const job of await runner.current(candidates)) {
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
      available(async () => {
        const record = await visible(id, viewer);
        if (!record) return undefined;
        const underWay = runner.cancelling?.(id);
        if (underWay)
          return { outcome: 'cancelled' as const, job: await currentOf(await underWay) };
        if (finishedJobStatuses.has(record.status)) {
          await store.remove(record);
          return { outcome: 'deleted' as const, id };
        }
        return { outcome: 'cancelled' as const, job: await currentOf(await runner.cancel(record)) };
      }),

    artifact: (id, viewer) =>
      available(async () => {
        const record = await visible(id, viewer);
        return record && jobArtifactOf(options.files, record);
      }),

    // Answered while the backend recovers, for /export/status: the jobs known so far.
    counts: (viewer) =>
      runner.guard(async () => {
        const counts = emptyJobCounts();
        for await (const batch of visibleBatches(viewer)) {
          for (const job of await runner.current(batch)) counts[job.status] += 1;
        }
        return counts;
      }),

    start: () => runner.start(),
    recovered: () => runner.recovered(),
    unavailability: () => runner.unavailability(),
    close: () => runner.close(),
    sweepExpired,
  };

  async function currentOf(record: JobRecord): Promise<JobSnapshot> {
    return (await runner.current([record]))[0] ?? { ...record, progressRows: 0 };
  }
}
