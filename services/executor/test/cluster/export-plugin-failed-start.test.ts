import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type RedisServer, startRedisServer } from '@org/test-redis';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { exportPlugin } from '../../src/plugins/export-plugin.js';

// A Redis of this file's own, even when EXPORT_TEST_REDIS_URL is set: its client count is ours.
let redis: RedisServer;
let observer: Redis;
const folders: string[] = [];

beforeAll(async () => {
  redis = await startRedisServer({ environment: { ...process.env, EXPORT_TEST_REDIS_URL: '' } });
  observer = new Redis(redis.url);
});

afterAll(async () => {
  await observer?.quit();
  await redis?.stop();
});

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** Clients connected to the test Redis, this file's observer not counted. */
async function otherClients(): Promise<number> {
  const list = (await observer.client('LIST')) as string;
  return list.trim().split('\n').length - 1;
}

/** Redis notices a closed socket on its next event-loop turn: waits a little for the count. */
async function clientsOnceSettled(expected: number): Promise<number> {
  let count = await otherClients();
  for (let attempt = 0; attempt < 50 && count !== expected; attempt += 1) {
    await sleep(20);
    count = await otherClients();
  }
  return count;
}

/** An export folder whose `jobs` is a file: the job queue's start fails, after the cluster joined. */
function folderWhereJobsCannotStart(): string {
  const exportDirectory = mkdtempSync(join(tmpdir(), 'failed-start-'));
  folders.push(exportDirectory);
  mkdirSync(exportDirectory, { recursive: true });
  writeFileSync(join(exportDirectory, 'jobs'), 'not a folder');
  return exportDirectory;
}

const clusterOptions = () => ({
  redisUrl: redis.url,
  queueName: `failed-start-${randomUUID()}`,
  maxConcurrent: 2,
  maxQueue: 10,
  lockMs: 30_000,
});

describe('an export plugin whose start fails after joining the cluster', () => {
  it('leaves no Redis connection open once the app that embeds it is closed', async () => {
    const before = await otherClients();
    const app = Fastify({ logger: false });
    app.register(exportPlugin, {
      registry: new Registry(),
      exportDirectory: folderWhereJobsCannotStart(),
      workers: { size: 1 },
      cluster: clusterOptions(),
    });
    await expect(app.ready()).rejects.toMatchObject({ code: expect.stringMatching(/^E/) });
    // The start did fail past the join: the cluster's connections are open until the close.
    expect(await otherClients()).toBeGreaterThan(before);
    // Fastify runs the onClose hooks a plugin added before its registration failed.
    await app.close();
    expect(await clientsOnceSettled(before)).toBe(before);
  });

  it('leaves none open when build() fails, which closes the app it could not return', async () => {
    const before = await otherClients();
    const cluster = clusterOptions();
    const config = loadConfig({
      EXPORT_DIR: folderWhereJobsCannotStart(),
      EXPORT_WORKERS: '1',
      REDIS_URL: cluster.redisUrl,
      EXPORT_QUEUE_NAME: cluster.queueName,
    });
    await expect(build({ config, logger: false, registry: new Registry() })).rejects.toThrow();
    expect(await clientsOnceSettled(before)).toBe(before);
  });
});
