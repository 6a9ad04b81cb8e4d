import type { JobRecordStore } from '../jobs/job-backend.js';
import { compareNewestFirst } from '../jobs/job-cursor.js';
import { quotaUserOf } from '../jobs/job-quota.js';
import { finishedJobStatuses } from '../jobs/job-record.js';
import type { FileJobStore } from './file-job-store.js';
import type { LiveJob } from './live-job.js';

export interface EmbeddedJobStore extends JobRecordStore {
  /** The jobs this process knows, by id: every one on disk once recovered. */
  readonly jobs: ReadonlyMap<string, LiveJob>;
  /**
   * Adds a job: recovered (counted in its user's quota now) or admitted (its place reserved by
   * `reserveQuota` already).
   */
  add(job: LiveJob, { reserved }: { reserved: boolean }): void;
  /** Drops an admitted job that was not kept after all; its admission gives its place back. */
  discard(id: string): void;
}

/**
 * The embedded backend's records: an index in memory over the job folders on local disk, so
 * that lookups and lists read no file, and each user's kept jobs counted as they come and go.
 */
export function createEmbeddedJobStore(
  disk: FileJobStore,
  { maxJobsPerUser }: { maxJobsPerUser: number },
): EmbeddedJobStore {
  const jobs = new Map<string, LiveJob>();
  // Jobs kept per user (the limiter's key), in any status: what EXPORT_MAX_JOBS_PER_USER caps.
  const keptPerUser = new Map<string, number>();

  function countKept(user: string, change: 1 | -1): void {
    const kept = (keptPerUser.get(user) ?? 0) + change;
    if (kept > 0) keptPerUser.set(user, kept);
    else keptPerUser.delete(user);
  }

  return {
    jobs,
    add(job, { reserved }) {
      jobs.set(job.record.id, job);
      if (!reserved) countKept(quotaUserOf(job.record), 1);
    },
    discard(id) {
      jobs.delete(id);
    },
    async get(id) {
      return jobs.get(id)?.record;
    },
    async *newestFirst() {
      yield [...jobs.values()].map((job) => job.record).sort(compareNewestFirst);
    },
    save: (record) => disk.save(record),
    writeManifest: (manifest) => disk.writeManifest(manifest),
    async remove(record) {
      const job = jobs.get(record.id);
      if (job) {
        jobs.delete(record.id);
        countKept(quotaUserOf(job.record), -1);
      }
      await disk.remove(record.id);
    },
    async *finishedBefore(cutoffMs) {
      // One being cancelled is not finished with yet: the DELETE under way answers for it.
      yield [...jobs.values()]
        .filter(
          (job) =>
            finishedJobStatuses.has(job.record.status) &&
            !job.cancelling &&
            !(Date.parse(job.record.finishedAt ?? '') > cutoffMs),
        )
        .map((job) => job.record);
    },
    reserveQuota(user) {
      if ((keptPerUser.get(user) ?? 0) >= maxJobsPerUser) return undefined;
      countKept(user, 1);
      return () => countKept(user, -1);
    },
  };
}
