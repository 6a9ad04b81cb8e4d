import { randomUUID } from 'node:crypto';

/**
 * The variables that make the executor a replica of a cluster on the Redis at `redisUrl`. The
 * queue name is new on every call, so runs that share one Redis never see each other's jobs.
 */
export function clusterEnvironment(redisUrl: string): Record<string, string> {
  return { REDIS_URL: redisUrl, EXPORT_QUEUE_NAME: `ops-checks-${randomUUID()}` };
}
