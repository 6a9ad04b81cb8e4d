import { createJobQueue } from '../jobs/create-job-queue.js';
import type { JobFiles } from '../jobs/job-files.js';
import { createJobLifecycle } from '../jobs/job-lifecycle.js';
import type { ExpiringJobQueue, JobQueueSettings } from '../jobs/job-queue.js';
import { createClusterJobRunner } from './cluster-job-runner.js';
import { createClusterJobStore } from './cluster-job-store.js';
import { createClusterWorker } from './cluster-worker.js';
import { currentJobs } from './current-jobs.js';
import type { ClusterHandles } from './join-cluster.js';

/** `context.sharedSlots` must be the cluster's `slots`. */
export interface ClusterJobQueueOptions extends JobQueueSettings, ClusterHandles {
  /** Job folders under EXPORT_DIR, which every replica must share. */
  files: JobFiles;
}

/** Its `unavailability` is this replica's connection to Redis. */
export type ClusterJobQueue = ExpiringJobQueue;

/**
 * Jobs shared by every replica through BullMQ on Redis: any replica accepts, lists, cancels and
 * serves any job; each runs up to its EXPORT_MAX_CONCURRENT of them, and the cluster's slots cap
 * how many run across all replicas. Records live in Redis, files in the shared EXPORT_DIR.
 */
export function createClusterJobQueue(options: ClusterJobQueueOptions): ClusterJobQueue {
  const { files } = options;
  const now = options.now ?? Date.now;
  const isoNow = () => new Date(now()).toISOString();
  const store = createClusterJobStore(options);
  const lifecycle = createJobLifecycle({ records: store, files, isoNow, ends: options.jobEnds });
  const jobs = currentJobs({ ...options, now });
  const worker = createClusterWorker({ ...options, lifecycle });
  const runner = createClusterJobRunner({ ...options, store, jobs, worker, lifecycle, now });
  return createJobQueue({ ...options, backend: { store, runner }, now });
}
