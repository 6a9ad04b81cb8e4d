import { performance } from 'node:perf_hooks';
import type { FastifyBaseLogger } from 'fastify';
import { RecoveringError, RecoveryFailedError } from '../errors.js';
import { compareNewestFirst } from '../jobs/job-cursor.js';
import type { JobLifecycle } from '../jobs/job-lifecycle.js';
import type { EmbeddedJobStore } from './embedded-job-store.js';
import type { FileJobStore } from './file-job-store.js';
import type { LiveJob } from './live-job.js';
import { recoverJobs } from './recover-jobs.js';

export interface EmbeddedRecoveryOptions {
  disk: FileJobStore;
  store: EmbeddedJobStore;
  lifecycle: JobLifecycle;
  log: FastifyBaseLogger;
  retentionMs: number;
  now: () => number;
  /** The recovered queued jobs, oldest first, once every stored job is recovered. */
  onQueued(jobs: LiveJob[]): void;
}

export interface EmbeddedRecovery {
  /** Starts recovering in the background, so boot time does not grow with the stored jobs. */
  start(): void;
  /** Resolves once recovery is over (or stopped); never rejects. */
  recovered(): Promise<void>;
  /** Why jobs cannot be looked up now: recovery still runs, or failed. */
  unavailability(): Error | undefined;
  /** Stops between jobs (the rest stay on disk for the next boot) and waits for it. */
  stop(): Promise<void>;
}

/** The boot's recovery of the jobs an earlier process stored (recover-jobs.ts), and its state. */
export function embeddedRecovery(options: EmbeddedRecoveryOptions): EmbeddedRecovery {
  const { disk, store, lifecycle, log, retentionMs, now } = options;
  // Set while the stored jobs are being recovered, which starts once the server is up.
  let progress: { checked: number; total: number | undefined } | undefined;
  let failure: Error | undefined;
  const stopping = new AbortController();
  let recovered: Promise<void> = Promise.resolve();

  async function recover(): Promise<void> {
    const startedAt = performance.now();
    const queued: LiveJob[] = [];
    progress = { checked: 0, total: undefined };
    try {
      const report = await recoverJobs(disk, {
        lifecycle,
        now: new Date(now()),
        retentionMs,
        signal: stopping.signal,
        onRecovered(record) {
          const job: LiveJob = { record, progressRows: record.rows ?? 0, cancelRequested: false };
          store.add(job, { reserved: false });
          if (record.status === 'queued') queued.push(job);
        },
        onProgress(checked, total) {
          progress = { checked, total };
        },
        onJobError(id, error) {
          log.error({ err: error, jobId: id }, 'export job could not be recovered; left on disk');
        },
      });
      // Closing: the queued jobs stay on disk for the next boot.
      if (stopping.signal.aborted) return;
      progress = undefined;
      // Oldest first, as they were submitted.
      options.onQueued(queued.sort((a, b) => -compareNewestFirst(a.record, b.record)));
      const ms = Math.round(performance.now() - startedAt);
      log.info({ ...report, ms }, 'export jobs recovered');
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
      log.error({ err: error }, 'export jobs could not be recovered; the job routes answer 503');
    }
  }

  return {
    start() {
      recovered = recover();
    },
    recovered: () => recovered,
    unavailability() {
      if (failure) return new RecoveryFailedError(failure.message);
      if (!progress) return undefined;
      const { checked, total } = progress;
      return new RecoveringError(
        total === undefined ? 'listing them' : `${checked} of ${total} checked`,
      );
    },
    async stop() {
      stopping.abort();
      await recovered;
    },
  };
}
