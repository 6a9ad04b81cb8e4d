import type { Queue } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import { InterruptedError } from '../errors.js';
import { verdictOf } from '../jobs/job-error.js';
import type { JobFiles } from '../jobs/job-files.js';
import type { JobLifecycle } from '../jobs/job-lifecycle.js';
import { recordBatches } from './cluster-job-reads.js';
import type { ClusterJobRecords } from './cluster-job-records.js';
import { removeClusterJob } from './cluster-job-removal.js';
import type { ClusterKeys } from './cluster-keys.js';
import type { CurrentJobs } from './current-jobs.js';
import type { ClusterJobData } from './process-cluster-job.js';

export interface ClusterRetentionOptions {
  redis: Redis;
  queue: Queue<ClusterJobData>;
  keys: ClusterKeys;
  records: ClusterJobRecords;
  files: JobFiles;
  jobs: CurrentJobs;
  lifecycle: JobLifecycle;
  log: FastifyBaseLogger;
  retentionMs: number;
  now: () => number;
}

/**
 * The cluster's sweep, which any replica may run: it fails for good the jobs BullMQ no longer
 * holds (their replica died past every retry, or their admission never reached BullMQ), which
 * reads only show failed, then deletes the finished jobs past retention. Resolves with how many
 * it deleted.
 */
export function clusterRetention(options: ClusterRetentionOptions): () => Promise<number> {
  const { redis, keys, records, jobs, lifecycle, log, retentionMs, now } = options;

  async function failOrphans(): Promise<number> {
    let failed = 0;
    for await (const batch of recordBatches(records, undefined)) {
      for (const orphan of await jobs.orphans(batch)) {
        await lifecycle.failed(orphan, verdictOf(new InterruptedError()));
        failed += 1;
      }
    }
    if (failed > 0) log.warn({ failed }, 'export jobs no replica runs any more failed');
    return failed;
  }

  async function deleteExpired(): Promise<number> {
    const cutoff = now() - retentionMs;
    let swept = 0;
    for (;;) {
      const ids = await records.finishedBefore(cutoff, 100);
      if (ids.length === 0) break;
      for (const record of await records.getMany(ids)) {
        if (record) await removeClusterJob(options, record);
      }
      // A record gone meanwhile leaves its id in the index: drop it too.
      await redis.zrem(keys.finished, ...ids);
      swept += ids.length;
    }
    if (swept > 0) log.info({ swept, retentionMs }, 'expired export jobs deleted');
    return swept;
  }

  return async () => {
    await failOrphans();
    return deleteExpired();
  };
}
