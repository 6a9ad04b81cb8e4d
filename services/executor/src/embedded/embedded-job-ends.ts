import { rm } from 'node:fs/promises';
import { ExportError } from '@org/export-core';
import type { FastifyBaseLogger } from 'fastify';
import type { ExportOutcome } from '../exports/execute-export.js';
import { jobEndOf } from '../jobs/job-end.js';
import { jobErrorOf } from '../jobs/job-error.js';
import { removeRunFiles } from '../jobs/job-files.js';
import type { JobLifecycle } from '../jobs/job-lifecycle.js';
import { endedChange } from '../jobs/job-transitions.js';
import type { FileJobStore } from './file-job-store.js';
import type { LiveJob } from './live-job.js';

export interface EmbeddedJobEndsOptions {
  lifecycle: JobLifecycle;
  store: FileJobStore;
  log: FastifyBaseLogger;
  /** The clock, as an ISO 8601 string. */
  isoNow: () => string;
}

export interface EmbeddedJobEnds {
  /** Records how an embedded job's run ended (job-lifecycle.ts); never rejects. */
  finish(job: LiveJob, outcome: ExportOutcome): Promise<void>;
}

/**
 * The embedded backend's end of a run: the lifecycle's, shown once saved. When it cannot be
 * saved, no other process will ever run the job, so it is shown failed here instead.
 */
export function createEmbeddedJobEnds({
  lifecycle,
  store,
  log,
  isoNow,
}: EmbeddedJobEndsOptions): EmbeddedJobEnds {
  const { files } = store;

  async function finish(job: LiveJob, outcome: ExportOutcome): Promise<void> {
    job.abort = undefined;
    const end = jobEndOf({ outcome, cancelRequested: job.cancelRequested });
    try {
      job.record = await lifecycle.ended(job.record, end, outcome);
      if (end === 'done' || end === 'requeued') job.progressRows = job.record.rows ?? 0;
    } catch (recordError) {
      const { record } = job;
      log.error({ err: recordError, jobId: record.id }, 'export job could not be recorded');
      // Nothing runs any more (a full disk, say): show the end anyway, or clients would wait on
      // a job that never moves again. Never done, which only a saved record may say. Its input
      // goes first, so that it can never run again whatever the record on disk says (recovery
      // fails a queued or running job without input); the room that frees may let the end be
      // saved after all.
      await removeRunFiles(files, record).catch(() => {});
      await rm(files.manifest(record.id), { force: true }).catch(() => {});
      const error = 'error' in outcome ? outcome.error : undefined;
      job.record = {
        ...record,
        ...(job.cancelRequested
          ? endedChange('cancelled', isoNow(), null)
          : endedChange('failed', isoNow(), jobErrorOf(error ?? unrecorded(recordError)))),
      };
      await store.save(job.record).catch((saveError: unknown) => {
        log.error(
          { err: saveError, jobId: record.id },
          'export job end could not be saved; a restart shows it failed with EXECUTOR_INTERRUPTED',
        );
      });
    }
  }

  return { finish };
}

function unrecorded(cause: unknown): ExportError {
  return new ExportError('EXPORT_WRITE_FAILED', 'the finished job could not be recorded', {
    cause,
  });
}
