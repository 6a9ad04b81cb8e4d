import { mkdir } from 'node:fs/promises';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobFiles } from '../jobs/job-files.js';
import { createJobLifecycle } from '../jobs/job-lifecycle.js';
import type { ExpiringJobQueue, JobQueueSettings } from '../jobs/job-queue.js';
import { writeJsonFile } from '../jobs/write-json-file.js';
import { clusterAdmission } from './cluster-admission.js';
import { clusterAvailability } from './cluster-availability.js';
import { clusterCancel } from './cluster-cancel.js';
import { clusterJobReads } from './cluster-job-reads.js';
import type { ClusterJobRecords } from './cluster-job-records.js';
import type { ClusterKeys } from './cluster-keys.js';
import { clusterRetention } from './cluster-retention.js';
import type { ClusterSlots } from './cluster-slots.js';
import { createClusterWorker } from './cluster-worker.js';
import { currentJobs } from './current-jobs.js';
import type { ClusterJobData } from './process-cluster-job.js';

/** `context.sharedSlots` must be the cluster's `slots`. */
export interface ClusterJobQueueOptions extends JobQueueSettings {
  redis: Redis;
  /** The BullMQ queue every replica adds to; its connection options make this replica's worker. */
  queue: Queue<ClusterJobData>;
  keys: ClusterKeys;
  records: ClusterJobRecords;
  slots: ClusterSlots;
  /** Job folders under EXPORT_DIR, which every replica must share. */
  files: JobFiles;
  /** How long a replica's hold on a job lasts without renewal (BullMQ's lock). */
  lockMs: number;
}

/** Its `unavailability` is this replica's connection to Redis. */
export type ClusterJobQueue = ExpiringJobQueue;

/**
 * Jobs shared by every replica through BullMQ on Redis: any replica accepts, lists, cancels and
 * serves any job; each runs up to its EXPORT_MAX_CONCURRENT of them, and the cluster's slots cap
 * how many run across all replicas. Records live in Redis, files in the shared EXPORT_DIR. The
 * job lifecycle is the one every backend shares (jobs/job-lifecycle.ts); this composes the
 * cluster's storage and transport around it.
 */
export function createClusterJobQueue(options: ClusterJobQueueOptions): ClusterJobQueue {
  const { redis, records, context, files } = options;
  const now = options.now ?? Date.now;
  const isoNow = () => new Date(now()).toISOString();
  const lifecycle = createJobLifecycle({
    records: {
      save: (record) => records.save(record),
      writeManifest: (manifest) => writeJsonFile(files.manifest(manifest.id), manifest),
    },
    files,
    isoNow,
  });
  const jobs = currentJobs({ ...options, now });
  const { inCluster, unavailability } = clusterAvailability(redis);
  const worker = createClusterWorker({ ...options, lifecycle });
  const enqueue = clusterAdmission({ ...options, context, isoNow });
  const reads = clusterJobReads({ records, jobs, files });
  const cancel = clusterCancel({ ...options, lifecycle, now });

  return {
    concurrency: context.limiter.stats().maxConcurrent,
    enqueue: (submission) => inCluster(() => enqueue(submission)),
    get: (id, viewer) => inCluster(() => reads.get(id, viewer)),
    list: (query) => inCluster(() => reads.list(query)),
    delete: (id, viewer) => inCluster(() => cancel(id, viewer)),
    artifact: (id, viewer) => inCluster(() => reads.artifact(id, viewer)),
    counts: (viewer) => inCluster(() => reads.counts(viewer)),
    async start() {
      await mkdir(files.root, { recursive: true });
      await worker.start();
    },
    close: () => worker.close(),
    sweepExpired: clusterRetention({ ...options, jobs, lifecycle, now }),
    unavailability,
    recovered: () => Promise.resolve(),
  };
}
