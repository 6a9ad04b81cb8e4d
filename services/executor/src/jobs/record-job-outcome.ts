import { rm } from 'node:fs/promises';
import { ExportError, type ExportResult } from '@org/export-core';
import type { FastifyBaseLogger } from 'fastify';
import { errorResponse } from '../error-response.js';
import type { ExportOutcome } from '../exports/execute-export.js';
import { jobLossesOf } from './job-export-options.js';
import { removeRunFiles } from './job-files.js';
import type { JobError, JobRecord } from './job-record.js';
import type { JobStore } from './job-store.js';
import type { LiveJob } from './live-job.js';

export interface JobOutcomeRecorderOptions {
  store: JobStore;
  log: FastifyBaseLogger;
  /** The clock, as an ISO 8601 string. */
  isoNow: () => string;
}

export interface JobOutcomeRecorder {
  /**
   * Records how a job's run ended: done (manifest, then record), queued again (stopped by a
   * graceful shutdown), cancelled or failed (its files removed). Never rejects.
   */
  finish(job: LiveJob, outcome: ExportOutcome): Promise<void>;
}

export function createJobOutcomeRecorder({
  store,
  log,
  isoNow,
}: JobOutcomeRecorderOptions): JobOutcomeRecorder {
  const { files } = store;

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
      await removeRunFiles(files, record);
      await commit(job, {
        status: job.cancelRequested ? 'cancelled' : 'failed',
        finishedAt: isoNow(),
        error: job.cancelRequested ? null : jobErrorOf(error),
      });
    } catch (recordError) {
      log.error({ err: recordError, jobId: record.id }, 'export job could not be recorded');
      // Nothing runs any more (a full disk, say): show the end anyway, or clients would wait on
      // a job that never moves again. Never done, which only a saved record may say. Its input
      // goes first, so that it can never run again whatever the record on disk says (recovery
      // fails a queued or running job without input); the room that frees may let the end be
      // saved after all.
      await removeRunFiles(files, record).catch(() => {});
      await rm(files.manifest(record.id), { force: true }).catch(() => {});
      const exportError = 'error' in outcome ? outcome.error : undefined;
      Object.assign(record, {
        status: job.cancelRequested ? 'cancelled' : 'failed',
        finishedAt: isoNow(),
        rows: null,
        bytes: null,
        sha256: null,
        error: job.cancelRequested ? null : jobErrorOf(exportError ?? unrecorded(recordError)),
      } satisfies Partial<JobRecord>);
      await store.save(record).catch((error: unknown) => {
        log.error(
          { err: error, jobId: record.id },
          'export job end could not be saved; a restart shows it failed with EXECUTOR_INTERRUPTED',
        );
      });
    }
  }

  async function recordDone(job: LiveJob, result: ExportResult): Promise<void> {
    const { record } = job;
    const finishedAt = isoNow();
    const losses = jobLossesOf(result);
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
      ...losses,
    });
    await rm(files.input(record.id), { force: true });
    await commit(job, {
      status: 'done',
      rows: result.rows,
      bytes: result.bytes,
      sha256: result.sha256,
      finishedAt,
      error: null,
      ...losses,
    });
    job.progressRows = result.rows;
  }

  return { finish };
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
