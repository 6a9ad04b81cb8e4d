import { mkdir } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { LimiterError } from '@org/export-limiter';
import { RecoveringError, RecoveryFailedError } from '../errors.js';
import { executeExport } from '../exports/execute-export.js';
import { acceptSubmission } from './accept-submission.js';
import { jobArtifactOf } from './job-artifact.js';
import { compareNewestFirst, decodeJobCursor, encodeJobCursor } from './job-cursor.js';
import { jobExportRequest, jobUserOf } from './job-export-request.js';
import { createJobLifecycle } from './job-lifecycle.js';
import type { ExpiringJobQueue, JobQueueSettings } from './job-queue.js';
import { quotaUserOf } from './job-quota.js';
import { emptyJobCounts, finishedJobStatuses, type JobRecord } from './job-record.js';
import type { JobStore } from './job-store.js';
import { startedChange } from './job-transitions.js';
import { isVisibleTo } from './job-visibility.js';
import { type LiveJob, snapshotOf } from './live-job.js';
import { createJobOutcomeRecorder } from './record-job-outcome.js';
import { recoverJobs } from './recover-jobs.js';

export interface EmbeddedJobQueueOptions extends JobQueueSettings {
  store: JobStore;
}

export type EmbeddedJobQueue = ExpiringJobQueue;

/**
 * Jobs on local disk, run in this process through the limiter that /export/run and
 * /export/stream use, so all three share one concurrency cap and one queue.
 */
export function createEmbeddedJobQueue(options: EmbeddedJobQueueOptions): EmbeddedJobQueue {
  const { store, context, log, maxRows, maxLineBytes, retentionMs, maxJobsPerUser } = options;
  const { files } = store;
  const { limiter } = context;
  const now = options.now ?? Date.now;
  const jobs = new Map<string, LiveJob>();
  // Jobs kept per user (the limiter's key), in any status: what EXPORT_MAX_JOBS_PER_USER caps.
  const keptPerUser = new Map<string, number>();
  // Set while the stored jobs are being recovered, which starts once the server is up.
  let recovery: { checked: number; total: number | undefined } | undefined;
  let recoveryFailure: Error | undefined;
  const stopRecovery = new AbortController();
  let recovered: Promise<void> = Promise.resolve();

  const isoNow = () => new Date(now()).toISOString();
  const lifecycle = createJobLifecycle({ records: store, files, isoNow });
  const { finish } = createJobOutcomeRecorder({ lifecycle, store, log, isoNow });

  function countKept(user: string, change: 1 | -1): void {
    const kept = (keptPerUser.get(user) ?? 0) + change;
    if (kept > 0) keptPerUser.set(user, kept);
    else keptPerUser.delete(user);
  }
  /** Counts a submission against its user's quota before it is spooled, or refuses it. */
  function reserveQuota(user: string): (() => void) | undefined {
    if ((keptPerUser.get(user) ?? 0) >= maxJobsPerUser) return undefined;
    countKept(user, 1);
    return () => countKept(user, -1);
  }
  function forget(id: string): void {
    const job = jobs.get(id);
    if (!job) return;
    jobs.delete(id);
    countKept(quotaUserOf(job.record), -1);
  }

  /** Why jobs cannot be looked up now: recovery still runs, or failed. */
  function unavailability(): Error | undefined {
    if (recoveryFailure) return new RecoveryFailedError(recoveryFailure.message);
    if (recovery) {
      const { checked, total } = recovery;
      return new RecoveringError(
        total === undefined ? 'listing them' : `${checked} of ${total} checked`,
      );
    }
    return undefined;
  }
  function whenAvailable(): void {
    const unavailable = unavailability();
    if (unavailable) throw unavailable;
  }

  async function recoverStored(): Promise<void> {
    const startedAt = performance.now();
    const queued: LiveJob[] = [];
    recovery = { checked: 0, total: undefined };
    try {
      const report = await recoverJobs(store, {
        lifecycle,
        now: new Date(now()),
        retentionMs,
        signal: stopRecovery.signal,
        onRecovered(record) {
          const job: LiveJob = { record, progressRows: record.rows ?? 0, cancelRequested: false };
          jobs.set(record.id, job);
          countKept(quotaUserOf(record), 1);
          if (record.status === 'queued') queued.push(job);
        },
        onProgress(checked, total) {
          recovery = { checked, total };
        },
        onJobError(id, error) {
          log.error({ err: error, jobId: id }, 'export job could not be recovered; left on disk');
        },
      });
      // Closing: the queued jobs stay on disk for the next boot.
      if (stopRecovery.signal.aborted) return;
      // Oldest first, as they were submitted; accepted long ago, they wait however full the
      // limiter's queue.
      queued.sort((a, b) => -compareNewestFirst(a.record, b.record));
      recovery = undefined;
      for (const job of queued) launch(job, { accepted: true });
      const ms = Math.round(performance.now() - startedAt);
      log.info({ ...report, ms }, 'export jobs recovered');
    } catch (error) {
      recoveryFailure = error instanceof Error ? error : new Error(String(error));
      log.error({ err: error }, 'export jobs could not be recovered; the job routes answer 503');
    }
  }

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
        Object.assign(job.record, startedChange(isoNow()));
        void store.save(job.record).catch((error: unknown) => {
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

  async function cancel(job: LiveJob): Promise<void> {
    job.cancelRequested = true;
    // A running export stops at once and removes its temp file; a queued one leaves the queue.
    job.abort?.abort();
    await job.settled;
    // Not in the limiter (recovered, or requeued by a shutdown): nothing ran to settle.
    if (!finishedJobStatuses.has(job.record.status)) await finish(job, { error: undefined });
  }

  const admissionSettings = { context, files, maxRows, maxJobsPerUser, isoNow };

  /** Keeps the spooled job and hands it to the limiter; keeps nothing when either fails. */
  async function admit(record: JobRecord) {
    const { id } = record;
    const job: LiveJob = { record, progressRows: 0, cancelRequested: false };
    // Counted in its user's quota since its reservation; a refusal gives the room back.
    jobs.set(id, job);
    const saved = store.save(record);
    // What the client gets: the job as accepted, before it may have started.
    const accepted = snapshotOf(job);
    const refusal = launch(job, { accepted: false });
    if (refusal) {
      jobs.delete(id);
      await saved.catch(() => {});
      await store.remove(id);
      throw refusal;
    }
    try {
      await saved;
    } catch (error) {
      // Not stored means not accepted: stop it and keep nothing.
      job.cancelRequested = true;
      job.abort?.abort();
      await job.settled;
      jobs.delete(id);
      await store.remove(id).catch(() => {});
      throw error;
    }
    return accepted;
  }

  async function sweepExpired(): Promise<number> {
    const cutoff = now() - retentionMs;
    let swept = 0;
    for (const job of [...jobs.values()]) {
      const { record } = job;
      if (!finishedJobStatuses.has(record.status) || job.cancelling) continue;
      if (Date.parse(record.finishedAt ?? '') > cutoff) continue;
      forget(record.id);
      await store.remove(record.id);
      swept += 1;
    }
    if (swept > 0) log.info({ swept, retentionMs }, 'expired export jobs deleted');
    return swept;
  }

  return {
    concurrency: limiter.stats().maxConcurrent,

    async enqueue(submission) {
      whenAvailable();
      return acceptSubmission(submission, admissionSettings, {
        refusal: () => {
          const user = jobUserOf(submission);
          return limiter.refusal(user === undefined ? {} : { key: user });
        },
        reserveQuota,
        admit,
      });
    },

    async get(id, viewer) {
      whenAvailable();
      const job = jobs.get(id);
      return job && isVisibleTo(job.record, viewer) ? snapshotOf(job) : undefined;
    },

    async list({ viewer, status, format, limit, cursor }) {
      whenAvailable();
      const after = cursor === undefined ? undefined : decodeJobCursor(cursor);
      const matching = [...jobs.values()]
        .filter(
          (job) =>
            isVisibleTo(job.record, viewer) &&
            (status === undefined || job.record.status === status) &&
            (format === undefined || job.record.format === format) &&
            (after === undefined || compareNewestFirst(job.record, after) > 0),
        )
        .sort((a, b) => compareNewestFirst(a.record, b.record));
      const page = matching.slice(0, limit);
      const last = page.at(-1);
      return {
        jobs: page.map(snapshotOf),
        nextCursor: matching.length > limit && last ? encodeJobCursor(last.record) : null,
      };
    },

    async delete(id, viewer) {
      whenAvailable();
      const job = jobs.get(id);
      if (!job || !isVisibleTo(job.record, viewer)) return undefined;
      if (job.cancelling) {
        await job.cancelling;
        return { outcome: 'cancelled', job: snapshotOf(job) };
      }
      if (finishedJobStatuses.has(job.record.status)) {
        forget(id);
        await store.remove(id);
        return { outcome: 'deleted', id };
      }
      job.cancelling = cancel(job);
      await job.cancelling;
      job.cancelling = undefined;
      return { outcome: 'cancelled', job: snapshotOf(job) };
    },

    async artifact(id, viewer) {
      whenAvailable();
      const job = jobs.get(id);
      if (!job || !isVisibleTo(job.record, viewer)) return undefined;
      return jobArtifactOf(files, job.record);
    },

    async counts(viewer) {
      const counts = emptyJobCounts();
      for (const job of jobs.values()) {
        if (isVisibleTo(job.record, viewer)) counts[job.record.status] += 1;
      }
      return counts;
    },

    async start() {
      await mkdir(files.root, { recursive: true });
      // Not awaited: the server listens meanwhile, /ready says 503 and job lookups say
      // EXECUTOR_RECOVERING, so boot time does not grow with the stored jobs.
      recovered = recoverStored();
    },

    recovered: () => recovered,

    unavailability,

    async close() {
      stopRecovery.abort();
      await recovered;
      await Promise.all([...jobs.values()].map((job) => job.settled));
      await store.flush();
    },

    sweepExpired,
  };
}
