import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { clusterJobRecords } from '../../src/cluster/cluster-job-records.js';
import { clusterKeysOf } from '../../src/cluster/cluster-keys.js';
import { queuedJobRecord } from '../../src/jobs/job-record.js';
import { buildTestAppWithFolder } from '../build-test-app.js';
import {
  finishedJob,
  holdAnExportSlot,
  submitJob,
  trades,
  waitForJobStatus,
} from '../job-helpers.js';
import { waitUntil } from '../real-server/wait-until.js';
import { useRedisServer } from './use-redis-server.js';

const redis = useRedisServer();

describe('retention in a cluster', () => {
  it('deletes finished jobs with their files once expired, never a queued one', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder({
      REDIS_URL: redis.url,
      EXPORT_QUEUE_NAME: `retention-${randomUUID()}`,
      EXPORT_MAX_CONCURRENT: '1',
      EXPORT_CLUSTER_MAX_CONCURRENT: '1',
      // 1.8 s, swept every quarter of it.
      EXPORT_RETENTION_HOURS: '0.0005',
    });
    const done = await finishedJob(app);
    const slot = await holdAnExportSlot(app);
    const queued = await submitJob(app, { format: 'csv', data: trades });

    await waitUntil(
      'the done job to expire',
      async () => {
        const answer = await app.inject({ method: 'GET', url: done.links.self });
        return answer.statusCode === 404 ? answer : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    expect(existsSync(join(exportDirectory, 'jobs', done.id))).toBe(false);
    expect((await app.inject({ method: 'GET', url: done.links.download })).statusCode).toBe(404);

    // Queued far longer than the retention: still there, and it runs once the slot is free.
    const waiting = await app.inject({ method: 'GET', url: queued.links.self });
    expect(waiting.json()).toMatchObject({ status: 'queued' });
    await slot.release();
    await waitForJobStatus(app, queued.id, ['done']);
  }, 30_000);

  it('shows a job no replica holds any more as failed without saving it; the sweep saves it', async () => {
    const queueName = `orphans-${randomUUID()}`;
    const { app } = await buildTestAppWithFolder({
      REDIS_URL: redis.url,
      EXPORT_QUEUE_NAME: queueName,
      // 36 s, swept every 9 s: long enough to read the job before the sweep.
      EXPORT_RETENTION_HOURS: '0.01',
    });
    const connection = new Redis(redis.url);
    const queue = new Queue(queueName, { connection: { url: redis.url } });
    try {
      const records = clusterJobRecords(connection, clusterKeysOf(queue));
      // Running on a replica that died past BullMQ's retries: BullMQ no longer has the job.
      const createdAt = new Date(Date.now() - 120_000).toISOString();
      const orphan = {
        ...queuedJobRecord({
          id: randomUUID(),
          owner: null,
          format: 'csv',
          options: {},
          columns: ['a'],
          totalRows: 1,
          createdAt,
        }),
        status: 'running' as const,
        startedAt: createdAt,
      };
      await records.save(orphan);

      const shown = await app.inject({ method: 'GET', url: `/export/jobs/${orphan.id}` });
      expect(shown.json()).toMatchObject({
        status: 'failed',
        error: { code: 'EXECUTOR_INTERRUPTED' },
      });
      // Reads write nothing: the record still says what the dead replica left.
      expect(await records.get(orphan.id)).toMatchObject({ status: 'running', error: null });

      await waitUntil(
        'the sweep to record it failed',
        async () => ((await records.get(orphan.id))?.status === 'failed' ? true : undefined),
        { timeoutMs: 20_000, intervalMs: 250 },
      );
      expect(await records.get(orphan.id)).toMatchObject({
        status: 'failed',
        error: { code: 'EXECUTOR_INTERRUPTED' },
        finishedAt: expect.any(String),
      });
    } finally {
      await queue.close();
      connection.disconnect();
    }
  }, 30_000);
});
