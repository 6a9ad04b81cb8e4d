import type { FastifyBaseLogger } from 'fastify';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { sweepExpiredRunFiles } from '../exports/sweep-expired-run-files.js';
import type { ExpiringJobQueue } from '../jobs/job-queue.js';

export interface ExpirySweepOptions {
  jobs: Pick<ExpiringJobQueue, 'sweepExpired'>;
  /** Where /export/run writes its files. */
  exportDirectory: string;
  retentionMs: number;
  intervalMs: number;
  log: FastifyBaseLogger;
  /** Uploads to abort under `jobs/` once that old: a dead process's, in a shared store. */
  unfinishedUploads?: { store: ArtifactStore; olderThanMs: number };
}

/**
 * Deletes expired jobs and /export/run files every `intervalMs`, and aborts uploads dead
 * processes left; a failed sweep is logged and the next one tries again. The timer is
 * unref()ed: clear it on close.
 */
export function startExpirySweep(options: ExpirySweepOptions): NodeJS.Timeout {
  const { jobs, exportDirectory, retentionMs, log } = options;
  const sweepExpired = async () => {
    const sweptJobs = await jobs.sweepExpired();
    const sweptRunFiles = await sweepExpiredRunFiles(exportDirectory, Date.now() - retentionMs);
    if (sweptRunFiles > 0) log.info({ sweptRunFiles }, 'expired export files deleted');
    const { unfinishedUploads } = options;
    if (unfinishedUploads) {
      const { store, olderThanMs } = unfinishedUploads;
      const aborted = await store.removeUnfinished('jobs/', { olderThanMs });
      if (aborted > 0) log.info({ aborted }, 'uploads of dead processes aborted');
    }
    return sweptJobs + sweptRunFiles;
  };
  const timer = setInterval(() => {
    sweepExpired().catch((error: unknown) => {
      log.error({ err: error }, 'sweeping expired exports failed');
    });
  }, options.intervalMs);
  timer.unref();
  return timer;
}
