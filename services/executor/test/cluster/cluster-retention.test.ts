import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
});
