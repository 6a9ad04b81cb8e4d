import { createJobQueue } from '../jobs/create-job-queue.js';
import { createJobLifecycle } from '../jobs/job-lifecycle.js';
import type { ExpiringJobQueue, JobQueueSettings } from '../jobs/job-queue.js';
import { createEmbeddedJobEnds } from './embedded-job-ends.js';
import { createEmbeddedJobRunner } from './embedded-job-runner.js';
import { createEmbeddedJobStore } from './embedded-job-store.js';
import { embeddedRecovery } from './embedded-recovery.js';
import type { FileJobStore } from './file-job-store.js';

export interface EmbeddedJobQueueOptions extends JobQueueSettings {
  /** The job folders on local disk. */
  store: FileJobStore;
}

export type EmbeddedJobQueue = ExpiringJobQueue;

/**
 * Jobs on local disk, run in this process through the limiter that /export/run and
 * /export/stream use, so all three share one concurrency cap and one queue. Its stored jobs
 * are recovered once the server is up.
 */
export function createEmbeddedJobQueue(options: EmbeddedJobQueueOptions): EmbeddedJobQueue {
  const { store: disk, log, retentionMs, maxJobsPerUser } = options;
  const now = options.now ?? Date.now;
  const isoNow = () => new Date(now()).toISOString();
  const store = createEmbeddedJobStore(disk, { maxJobsPerUser });
  const lifecycle = createJobLifecycle({
    records: store,
    files: disk.files,
    isoNow,
    ends: options.jobEnds,
  });
  const ends = createEmbeddedJobEnds({ lifecycle, store: disk, log, isoNow });
  const recovery = embeddedRecovery({
    disk,
    store,
    lifecycle,
    log,
    retentionMs,
    now,
    onQueued: (jobs) => runner.launchAccepted(jobs),
  });
  const runner = createEmbeddedJobRunner({ ...options, disk, store, recovery, ends, isoNow });
  return createJobQueue({ ...options, backend: { store, runner }, files: disk.files, now });
}
