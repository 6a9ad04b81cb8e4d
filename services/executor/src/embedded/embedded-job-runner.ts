import { mkdir } from 'node:fs/promises';
import type { LimiterError } from '@org/export-limiter';
import type { FastifyBaseLogger } from 'fastify';
import { type ExportContext, executeExport } from '../exports/execute-export.js';
import type { JobRunner } from '../jobs/job-backend.js';
import { jobExportRequest, jobUserOf } from '../jobs/job-export-request.js';
import { finishedJobStatuses, type JobRecord } from '../jobs/job-record.js';
import { startedChange } from '../jobs/job-transitions.js';
import type { EmbeddedJobEnds } from './embedded-job-ends.js';
import type { EmbeddedJobStore } from './embedded-job-store.js';
import type { EmbeddedRecovery } from './embedded-recovery.js';
import type { FileJobStore } from './file-job-store.js';
import { type LiveJob, snapshotOf } from './live-job.js';

export interface EmbeddedJobRunnerOptions {
  disk: FileJobStore;
  store: EmbeddedJobStore;
  recovery: EmbeddedRecovery;
  ends: EmbeddedJobEnds;
  context: ExportContext;
  log: FastifyBaseLogger;
  maxLineBytes: number;
  isoNow: () => string;
}

export interface EmbeddedJobRunner extends JobRunner {
  /** Hands recovered queued jobs to the limiter, where they wait however full its queue. */
  launchAccepted(jobs: LiveJob[]): void;
}

/**
 * Runs jobs in this process, through the limiter that /export/run and /export/stream use, so
 * all three share one concurrency cap and one queue.
 */
export function createEmbeddedJobRunner(options: EmbeddedJobRunnerOptions): EmbeddedJobRunner {
  const { disk, store, recovery, ends, context, log, maxLineBytes, isoNow } = options;
  const { files } = disk;
  const { limiter } = context;
  const { finish } = ends;

  /**
   * Hands the job to the limiter, or returns the limiter's refusal (queue full, closed). An
   * accepted job (recovered) is never refused for a full queue.
   */
  function launch(job: LiveJob, { accepted }: { accepted: boolean }): LimiterError | undefined {
    const user = jobUserOf(job.record);
    // Asked in the same synchronous step as `run` below, so the answer holds for it.
    const refusal = accepted ? undefined : limiter.refusal(user === undefined ? {} : { key: user });
    if (refusal) return refusal;
    const abort = new AbortController();
    job.abort = abort;
    let ran = false;
    const execution = executeExport(context, {
      ...jobExportRequest(job.record, { files, log, maxLineBytes }),
      signal: abort.signal,
      accepted,
      onStart: () => {
        // Shown at once, saved meanwhile: the end, saved after it, is what a restart trusts.
        job.record = { ...job.record, ...startedChange(isoNow()) };
        void disk.save(job.record).catch((error: unknown) => {
          log.error({ err: error, jobId: job.record.id }, 'export job record could not be saved');
        });
      },
      onProgress: ({ rows }) => {
        job.progressRows = rows;
      },
      // Its end saved before its slot is freed: a job shown running always holds a slot.
      beforeRelease: (outcome) => {
        ran = true;
        return finish(job, outcome);
      },
    });
    // Never ran (cancelled while queued, refused by a closing limiter): finished here instead.
    job.settled = execution.then(
      () => {},
      (error: unknown) => (ran ? undefined : finish(job, { error })),
    );
    return undefined;
  }

  async function stop(job: LiveJob): Promise<JobRecord> {
    job.cancelRequested = true;
    // A running export stops at once and removes its temp file; a queued one leaves the queue.
    job.abort?.abort();
    await job.settled;
    // Not in the limiter (requeued by a shutdown): nothing ran to settle.
    if (!finishedJobStatuses.has(job.record.status)) await finish(job, { error: undefined });
    return job.record;
  }

  return {
    concurrency: limiter.stats().maxConcurrent,

    refusal(submission) {
      const user = jobUserOf(submission);
      return limiter.refusal(user === undefined ? {} : { key: user });
    },

    /** Keeps the spooled job and hands it to the limiter; keeps nothing when either fails. */
    async admit(record) {
      const { id } = record;
      const job: LiveJob = { record, progressRows: 0, cancelRequested: false };
      store.add(job, { reserved: true });
      const saved = disk.save(record);
      // What the client gets: the job as accepted, before it may have started.
      const accepted = snapshotOf(job);
      const refusal = launch(job, { accepted: false });
      if (refusal) {
        store.discard(id);
        await saved.catch(() => {});
        await disk.remove(id);
        throw refusal;
      }
      try {
        await saved;
      } catch (error) {
        // Not stored means not accepted: stop it and keep nothing.
        job.cancelRequested = true;
        job.abort?.abort();
        await job.settled;
        store.discard(id);
        await disk.remove(id).catch(() => {});
        throw error;
      }
      return accepted;
    },

    async cancel(record) {
      const job = store.jobs.get(record.id);
      if (!job) return record;
      job.cancelling = stop(job).finally(() => {
        job.cancelling = undefined;
      });
      return job.cancelling;
    },

    cancelling: (id) => store.jobs.get(id)?.cancelling,

    async current(records) {
      return records.map((record) => {
        const job = store.jobs.get(record.id);
        return job ? snapshotOf(job) : { ...record, progressRows: record.rows ?? 0 };
      });
    },

    unavailability: () => recovery.unavailability(),
    guard: (work) => work(),

    async start() {
      await mkdir(files.root, { recursive: true });
      // Not awaited: the server listens meanwhile, /ready says 503 and job lookups say
      // EXECUTOR_RECOVERING.
      recovery.start();
    },

    recovered: () => recovery.recovered(),

    async close() {
      await recovery.stop();
      await Promise.all([...store.jobs.values()].map((job) => job.settled));
      await disk.flush();
    },

    launchAccepted(jobs) {
      for (const job of jobs) launch(job, { accepted: true });
    },
  };
}
