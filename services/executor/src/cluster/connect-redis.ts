import { Redis, type RedisOptions } from 'ioredis';
import { ClusterUnavailableError } from '../errors.js';

const bootTimeoutMs = 5_000;

/** The URL without its password, for messages and logs. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the REDIS_URL given';
  }
}

/**
 * The executor's own Redis connection, connected before the process serves anything: an
 * unreachable Redis at boot fails the start with EXECUTOR_CLUSTER_UNAVAILABLE naming the URL.
 * Later, commands fail at once while it is down (no offline queue): a request then gets its 503
 * instead of hanging, and ioredis reconnects in the background.
 */
export async function connectRedis(url: string, options: RedisOptions = {}): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: bootTimeoutMs,
    // Reconnects forever, at most 2 s apart: Redis coming back must bring the replica back.
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    ...options,
  });
  let lastError: Error | undefined;
  const remember = (error: Error) => {
    lastError = error;
  };
  redis.on('error', remember);
  try {
    await withTimeout(redis.connect(), bootTimeoutMs);
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    const reason = (lastError ?? (error as Error)).message;
    throw new ClusterUnavailableError(
      `cannot reach Redis at ${redactRedisUrl(url)} (REDIS_URL): ${reason}`,
    );
  } finally {
    redis.off('error', remember);
  }
  return redis;
}

function withTimeout<Value>(promise: Promise<Value>, ms: number): Promise<Value> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
