import type { Redis } from 'ioredis';
import { quotaUserOf } from '../jobs/job-quota.js';
import { finishedJobStatuses, type JobRecord } from '../jobs/job-record.js';
import type { ClusterKeys } from './cluster-keys.js';

/**
 * Job records in Redis, shared by every replica: one JSON value per job, an index by creation
 * time for the list and one by finish time for retention. BullMQ runs the jobs; these say what
 * clients see, and outlive BullMQ's own job (removed once done, or when a queued job is
 * cancelled).
 */
export interface ClusterJobRecords {
  get(id: string): Promise<JobRecord | undefined>;
  getMany(ids: string[]): Promise<Array<JobRecord | undefined>>;
  /** Saves the record and indexes it; a finished one also by its finish time. */
  save(record: JobRecord): Promise<void>;
  remove(record: JobRecord): Promise<void>;
  /** How many jobs `user` keeps, in any status (`quotaUserOf`). */
  countKeptBy(user: string): Promise<number>;
  /** Ids newest first, `count` at a time from `offset`. */
  idsNewestFirst(offset: number, count: number): Promise<string[]>;
  /** Ids of jobs finished before `cutoffMs`, at most `count`. */
  finishedBefore(cutoffMs: number, count: number): Promise<string[]>;
  /** Current progress of a running job, from its BullMQ hash (`job.updateProgress`). */
  progressRows(ids: string[]): Promise<Array<number | undefined>>;
}

export function clusterJobRecords(redis: Redis, keys: ClusterKeys): ClusterJobRecords {
  const parse = (text: string | null): JobRecord | undefined =>
    text === null ? undefined : (JSON.parse(text) as JobRecord);

  return {
    async get(id) {
      return parse(await redis.get(keys.record(id)));
    },
    async getMany(ids) {
      if (ids.length === 0) return [];
      return (await redis.mget(ids.map((id) => keys.record(id)))).map(parse);
    },
    async save(record) {
      const transaction = redis
        .multi()
        .set(keys.record(record.id), JSON.stringify(record))
        .zadd(keys.records, Date.parse(record.createdAt), record.id)
        .zadd(keys.keptBy(quotaUserOf(record)), Date.parse(record.createdAt), record.id);
      if (finishedJobStatuses.has(record.status) && record.finishedAt !== null) {
        transaction.zadd(keys.finished, Date.parse(record.finishedAt), record.id);
      }
      await execOrThrow(transaction.exec());
    },
    async remove(record) {
      const { id } = record;
      await execOrThrow(
        redis
          .multi()
          .del(keys.record(id), keys.cancel(id))
          .zrem(keys.records, id)
          .zrem(keys.finished, id)
          .zrem(keys.keptBy(quotaUserOf(record)), id)
          .exec(),
      );
    },
    countKeptBy(user) {
      return redis.zcard(keys.keptBy(user));
    },
    idsNewestFirst(offset, count) {
      return redis.zrevrange(keys.records, offset, offset + count - 1);
    },
    finishedBefore(cutoffMs, count) {
      return redis.zrangebyscore(keys.finished, '-inf', cutoffMs, 'LIMIT', 0, count);
    },
    async progressRows(ids) {
      if (ids.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const id of ids) pipeline.hget(keys.bullJob(id), 'progress');
      const replies = (await pipeline.exec()) ?? [];
      return replies.map(([error, text]) => {
        if (error || typeof text !== 'string') return undefined;
        const rows = (JSON.parse(text) as { rows?: unknown } | null)?.rows;
        return typeof rows === 'number' ? rows : undefined;
      });
    },
  };
}

async function execOrThrow(result: Promise<Array<[Error | null, unknown]> | null>): Promise<void> {
  for (const [error] of (await result) ?? []) {
    if (error) throw error;
  }
}
