import { type RedisServer, startRedisServer } from '@org/test-redis';
import { afterAll, beforeAll } from 'vitest';

/**
 * A real Redis for the test file: started before its tests (or the shared one, when
 * EXPORT_TEST_REDIS_URL is set) and stopped after them. Read its `url` and `port` inside tests.
 */
export function useRedisServer(): Pick<RedisServer, 'url' | 'port'> {
  let redis: RedisServer | undefined;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  const started = () => {
    if (!redis) throw new Error('the Redis server is read before beforeAll started it');
    return redis;
  };
  return {
    get url() {
      return started().url;
    },
    get port() {
      return started().port;
    },
  };
}
