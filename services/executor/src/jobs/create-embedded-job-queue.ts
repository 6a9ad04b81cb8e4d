import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { ExportError, type ExportResult, fromNdjson, normalizeColumns } from '@org/export-core';
import type { LimiterError } from '@org/export-limiter';
import type { FastifyBaseLogger } from 'fastify';
import { errorResponse } from '../error-response.js';
import { JobNotReadyError } from '../errors.js';
import {
  countRefusal,
  type ExportContext,
  type ExportOutcome,
  executeExport,
} from '../exports/execute-export.js';
import { compareNewestFirst, decodeJobCursor, encodeJobCursor } from './job-cursor.js';
import type { JobQueue, JobSnapshot, JobViewer } from './job-queue.js';
import {
  finishedJobStatuses,
  type JobError,
  type JobRecord,
  type JobStatus,
  jobStatuses,
} from './job-record.js';
import type { JobStore } from './job-store.js';
import { recoverJobs } from './recover-jobs.js';
import { spoolRecords } from './spool-records.js';

export interface EmbeddedJobQueueOptions {
  store: JobStore;
  /** The process's one limiter, metrics and export timeout, shared with the other routes. */
  context: ExportContext;
  log: FastifyBaseLogger;
  /** Records one job may have. */
  maxRows: number;
  /** Longest line accepted when a spooled input is read back. */
  maxLineBytes: number;
  /** `sweepExpired` deletes finished jobs older than this, with their files. */
  retentionMs: number;
  now?: () => number;
}

export interface EmbeddedJobQueue extends JobQueue {
  /** Deletes finished jobs past retention now; resolves with how many. */
  sweepExpired(): Promise<number>;
}

interface LiveJob {
  record: JobRecord;
  progressRows: number;
  /** Left the limiter's queue and began exporting. */
  started: boolean;
  cancelRequested: boolean;
  /** Present while a DELETE stops the job; a second DELETE waits for the first. */
  cancelling?: Promise<void> | undefined;
  abort?: AbortController | undefined;
  /** Resolves once the job's run is over and recorded; never rejects. */
  settled?: Promise<void> | undefined;
}

/**
 * Jobs on local disk, run in this process through the limiter that /export/run and
 * /export/stream use, so all three share one concurrency cap and one queue.
 */
export function createEmbeddedJobQueue(options: EmbeddedJobQueueOptions): EmbeddedJobQueue {
  const { store, context, log, maxRows, maxLineBytes, retentionMs } = options;
  const { files } = store;
  const { limiter } = context;
  const now = options.now ?? Date.now;
  const jobs = new Map<string, LiveJob>();
  // Recovered queued jobs wait here until the limiter's queue has room for them.
  const backlog: LiveJob[] = [];
  let admittingBacklog = false;

  const isoNow = () => new Date(now()).toISOString();
  const visible = (job: LiveJob, viewer: JobViewer) =>
    viewer === undefined || job.record.owner === viewer;
  const snapshot = (job: LiveJob): JobSnapshot => ({
    ...structuredClone(job.record),
    progressRows: job.progressRows,
  });
  const saveQuietly = (record: JobRecord) =>
    store.save(record).catch((error: unknown) => {
      log.error({ err: error, jobId: record.id }, 'export job record could not be saved');
    });

  /** Hands the job to the limiter, or returns the limiter's refusal (queue full, closed). */
  function launch(job: LiveJob): LimiterError | undefined {
    const { record } = job;
    const user = record.owner ?? record.options.user;
    // Asked in the same synchronous step as `run` below, so the answer holds for it.
    const refusal = limiter.refusal(user === undefined ? {} : { key: user });
    if (refusal) return refusal;
    const abort = new AbortController();
    Object.assign(job, { abort, started: false });
    let ran = false;
    const execution = executeExport(context, {
      id: record.id,
      log,
      format: record.format,
      source: spooledRecords(files.input(record.id), maxLineBytes),
      columns: record.options.columns,
      title: record.options.title,
      user,
      csvProfile: record.options.csvProfile,
      destination: files.artifact(record.id, record.format),
      signal: abort.signal,
      onStart: () => {
        Object.assign(record, { status: 'running', startedAt: isoNow() });
        job.started = true;
        void saveQuietly(record);
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

  /** Saves the change, then shows it: no client sees a state that a crash could take back. */
  async function commit(job: LiveJob, change: Partial<JobRecord>): Promise<void> {
    await store.save({ ...job.record, ...change });
    Object.assign(job.record, change);
  }

  async function finish(job: LiveJob, outcome: ExportOutcome): Promise<void> {
    const { record } = job;
    job.abort = undefined;
    try {
      if ('result' in outcome && !job.cancelRequested) {
        await recordDone(job, outcome.result);
        return;
      }
      const error = 'error' in outcome ? outcome.error : undefined;
      if (!job.cancelRequested && stoppedByShutdown(error)) {
        // A graceful shutdown stopped it: queued again, to run from the start after the restart.
        await commit(job, { status: 'queued', startedAt: null });
        job.progressRows = 0;
        return;
      }
      await rm(files.artifact(record.id, record.format), { force: true });
      await rm(files.input(record.id), { force: true });
      await commit(job, {
        status: job.cancelRequested ? 'cancelled' : 'failed',
        finishedAt: isoNow(),
        error: job.cancelRequested ? null : jobErrorOf(error),
      });
    } catch (recordError) {
      log.error({ err: recordError, jobId: record.id }, 'export job could not be recorded');
      // Nothing runs any more (a full disk, say): show the end anyway, or clients would wait on
      // a job that never moves again. Never done, which only a saved record may say: its file
      // goes, so the record left on disk fails the job at the next boot too.
      await rm(files.artifact(record.id, record.format), { force: true }).catch(() => {});
      const exportError = 'error' in outcome ? outcome.error : undefined;
      Object.assign(record, {
        status: job.cancelRequested ? 'cancelled' : 'failed',
        finishedAt: isoNow(),
        rows: null,
        bytes: null,
        sha256: null,
        error: job.cancelRequested ? null : jobErrorOf(exportError ?? unrecorded(recordError)),
      } satisfies Partial<JobRecord>);
    }
  }

  async function recordDone(job: LiveJob, result: ExportResult): Promise<void> {
    const { record } = job;
    const finishedAt = isoNow();
    // The manifest lands before the record says done: a done job always has one.
    await store.writeManifest({
      id: record.id,
      format: record.format,
      rows: result.rows,
      bytes: result.bytes,
      sha256: result.sha256,
      columns: record.columns,
      owner: record.owner,
      createdAt: record.createdAt,
      finishedAt,
    });
    await rm(files.input(record.id), { force: true });
    await commit(job, {
      status: 'done',
      rows: result.rows,
      bytes: result.bytes,
      sha256: result.sha256,
      finishedAt,
      error: null,
    });
    job.progressRows = result.rows;
  }

  async function cancel(job: LiveJob): Promise<void> {
    job.cancelRequested = true;
    const waiting = backlog.indexOf(job);
    if (waiting >= 0) backlog.splice(waiting, 1);
    // A running export stops at once and removes its temp file; a queued one leaves the queue.
    job.abort?.abort();
    await job.settled;
    // Not in the limiter (recovered, or requeued by a shutdown): nothing ran to settle.
    if (!finishedJobStatuses.has(job.record.status)) await finish(job, { error: undefined });
  }

  async function admitBacklog(): Promise<void> {
    if (admittingBacklog) return;
    admittingBacklog = true;
    try {
      for (let job = backlog[0]; job !== undefined; job = backlog[0]) {
        if (launch(job)) return; // Full again: the next freed slot calls back.
        backlog.shift();
      }
    } finally {
      admittingBacklog = false;
    }
  }
  // 'settled' fires before the limiter starts its own waiting tasks: admitting after them, a
  // recovered job takes the room they leave instead of jumping ahead of them.
  const onLimiterRoom = () => {
    if (backlog.length > 0) queueMicrotask(() => void admitBacklog());
  };

  async function sweepExpired(): Promise<number> {
    const cutoff = now() - retentionMs;
    let swept = 0;
    for (const job of [...jobs.values()]) {
      const { record } = job;
      if (!finishedJobStatuses.has(record.status) || job.cancelling) continue;
      if (Date.parse(record.finishedAt ?? '') > cutoff) continue;
      jobs.delete(record.id);
      await store.remove(record.id);
      swept += 1;
    }
    if (swept > 0) log.info({ swept, retentionMs }, 'expired export jobs deleted');
    return swept;
  }

  return {
    concurrency: limiter.stats().maxConcurrent,

    async enqueue({ format, options: exportOptions, owner, records }) {
      // Turned away before the upload is read: a flood of 429s must cost little.
      const user = owner ?? exportOptions.user;
      const early = limiter.refusal(user === undefined ? {} : { key: user });
      if (early) throw countRefusal(context, format, early);
      const id = randomUUID();
      await mkdir(files.folder(id), { recursive: true });
      let columns: string[];
      let totalRows: number;
      try {
        const spooled = await spoolRecords(records, files.input(id), { maxRows });
        // Bad columns fail here, as a 400 to the submitter, not later as a failed job.
        columns = normalizeColumns(exportOptions.columns, spooled.firstRecord).map(
          (column) => column.key,
        );
        totalRows = spooled.rows;
      } catch (error) {
        await rm(files.folder(id), { recursive: true, force: true });
        throw error;
      }
      const record: JobRecord = {
        id,
        owner,
        status: 'queued',
        format,
        options: exportOptions,
        columns,
        totalRows,
        createdAt: isoNow(),
        startedAt: null,
        finishedAt: null,
        rows: null,
        bytes: null,
        sha256: null,
        error: null,
      };
      const job: LiveJob = { record, progressRows: 0, started: false, cancelRequested: false };
      jobs.set(id, job);
      const saved = store.save(record);
      // What the client gets: the job as accepted, before it may have started.
      const accepted = snapshot(job);
      const refusal = launch(job);
      if (refusal) {
        jobs.delete(id);
        await saved.catch(() => {});
        await store.remove(id);
        throw countRefusal(context, format, refusal);
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
    },

    get(id, viewer) {
      const job = jobs.get(id);
      return job && visible(job, viewer) ? snapshot(job) : undefined;
    },

    list({ viewer, status, format, limit, cursor }) {
      const after = cursor === undefined ? undefined : decodeJobCursor(cursor);
      const matching = [...jobs.values()]
        .filter(
          (job) =>
            visible(job, viewer) &&
            (status === undefined || job.record.status === status) &&
            (format === undefined || job.record.format === format) &&
            (after === undefined || compareNewestFirst(job.record, after) > 0),
        )
        .sort((a, b) => compareNewestFirst(a.record, b.record));
      const page = matching.slice(0, limit);
      const last = page.at(-1);
      return {
        jobs: page.map(snapshot),
        nextCursor: matching.length > limit && last ? encodeJobCursor(last.record) : null,
      };
    },

    async delete(id, viewer) {
      const job = jobs.get(id);
      if (!job || !visible(job, viewer)) return undefined;
      if (job.cancelling) {
        await job.cancelling;
        return { outcome: 'cancelled', job: snapshot(job) };
      }
      if (finishedJobStatuses.has(job.record.status)) {
        jobs.delete(id);
        await store.remove(id);
        return { outcome: 'deleted', id };
      }
      job.cancelling = cancel(job);
      await job.cancelling;
      job.cancelling = undefined;
      return { outcome: 'cancelled', job: snapshot(job) };
    },

    async artifact(id, viewer) {
      const job = jobs.get(id);
      if (!job || !visible(job, viewer)) return undefined;
      const { record } = job;
      if (record.status !== 'done' || record.bytes === null || record.sha256 === null) {
        throw new JobNotReadyError(id, record.status);
      }
      const path = files.artifact(id, record.format);
      // Deleted or swept meanwhile: as unknown as a job that never was.
      if (!(await stat(path).catch(() => undefined))) return undefined;
      return {
        format: record.format,
        size: record.bytes,
        sha256: record.sha256,
        open: (range) => createReadStream(path, range ?? {}),
      };
    },

    counts(viewer) {
      const counts = Object.fromEntries(jobStatuses.map((status) => [status, 0])) as Record<
        JobStatus,
        number
      >;
      for (const job of jobs.values()) {
        if (visible(job, viewer)) counts[job.record.status] += 1;
      }
      return counts;
    },

    async start() {
      await mkdir(files.root, { recursive: true });
      const { records, report } = await recoverJobs(store, new Date(now()));
      for (const record of records) {
        jobs.set(record.id, {
          record,
          progressRows: record.rows ?? 0,
          started: false,
          cancelRequested: false,
        });
      }
      const queued = records
        .filter((record) => record.status === 'queued')
        .sort((a, b) => -compareNewestFirst(a, b));
      for (const record of queued) {
        const job = jobs.get(record.id);
        if (job) backlog.push(job);
      }
      limiter.on('settled', onLimiterRoom);
      limiter.on('rejected', onLimiterRoom);
      await admitBacklog();
      log.info(report, 'export jobs recovered');
    },

    async close() {
      limiter.off('settled', onLimiterRoom);
      limiter.off('rejected', onLimiterRoom);
      await Promise.all([...jobs.values()].map((job) => job.settled));
      await store.flush();
    },

    sweepExpired,
  };
}

/** Read lazily: a queued job holds no open file until it starts. */
async function* spooledRecords(path: string, maxLineBytes: number): AsyncGenerator<unknown> {
  const input = createReadStream(path);
  try {
    yield* fromNdjson(input, { maxLineBytes });
  } finally {
    input.destroy();
  }
}

// Aborted without a cancel, or refused while queued, because the limiter closed for shutdown.
function stoppedByShutdown(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'LIMITER_CLOSED' || code === 'EXPORT_ABORTED' || code === 'LIMITER_ABORTED';
}

function unrecorded(cause: unknown): ExportError {
  return new ExportError('EXPORT_WRITE_FAILED', 'the finished job could not be recorded', {
    cause,
  });
}

function jobErrorOf(error: unknown): JobError {
  const { code, message } = errorResponse(error);
  return { code, message };
}
