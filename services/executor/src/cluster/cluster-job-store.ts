import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobRecordStore } from '../jobs/job-backend.js';
import { type JobFiles, removeJobFiles } from '../jobs/job-files.js';
import type { JobRecord } from '../jobs/job-record.js';
import type { ClusterJobRecords } from './cluster-job-records.js';
import type { ClusterKeys } from './cluster-keys.js';
import type { ClusterJobData } from './process-cluster-job.js';

export interface ClusterJobStoreOptions {
  redis: Redis;
  queue: Queue<ClusterJobData>;
  keys: ClusterKeys;
  records: ClusterJobRecords;
  /** Job files: in EXPORT_DIR, which every replica then shares, or in an S3 bucket. */
  files: JobFiles;
  maxJobsPerUser: number;
}

const batchSize = 200;
const sweepBatch = 100;

/** The cluster's records, in Redis (cluster-job-records.ts), with their files in the shared store. */
export function createClusterJobStore(options: ClusterJobStoreOptions): JobRecordStore {
  const { redis, queue, keys, records, files, maxJobsPerUser } = options;
  return {
    get: (id) => records.get(id),

    async *newestFirst() {
      for (let offset = 0; ; offset += batchSize) {
        const ids = await records.idsNewestFirst(offset, batchSize);
        if (ids.length === 0) return;
        yield (await records.getMany(ids)).filter(
          (record): record is JobRecord => record !== undefined,
        );
        if (ids.length < batchSize) return;
      }
    },

    save: (record) => records.save(record),
    writeManifest: (manifest) =>
      files.artifacts.put(
        files.keys.manifest(manifest.id),
        `${JSON.stringify(manifest, null, 2)}\n`,
        { contentType: 'application/json' },
      ),

    // Files first: a job that reads as gone has nothing left on disk, and one whose files could
    // not be removed keeps its record, for the next sweep to try again.
    async remove(record) {
      await removeJobFiles(files, record.id);
      await queue.remove(record.id).catch(() => 0);
      await records.remove(record);
      // Its webhook, if it had one: nothing is owed of a job that is gone.
      await redis.multi().del(keys.webhook(record.id)).zrem(keys.webhooksDue, record.id).exec();
    },

    async *finishedBefore(cutoffMs) {
      for (;;) {
        const ids = await records.finishedBefore(cutoffMs, sweepBatch);
        if (ids.length === 0) return;
        yield (await records.getMany(ids)).filter(
          (record): record is JobRecord => record !== undefined,
        );
        // A record gone meanwhile leaves its id in the index: drop it too.
        await redis.zrem(keys.finished, ...ids);
      }
    },

    // Not atomic with the save: submissions in flight at once may pass it together.
    reserveQuota: async (user) =>
      (await records.countKeptBy(user)) >= maxJobsPerUser ? undefined : () => {},
  };
}
