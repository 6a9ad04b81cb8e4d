import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { digestDownload } from '../real-server/digest-download.js';
import { httpJson } from '../real-server/http-json.js';
import {
  submitNdjsonJob,
  waitUntilJobExports,
  waitUntilJobSettles,
} from '../real-server/job-client.js';
import { startExecutor } from '../real-server/spawn-executor.js';
import { waitUntil } from '../real-server/wait-until.js';
import { startTcpProxy } from './tcp-proxy.js';
import { useRedisServer } from './use-redis-server.js';

const redis = useRedisServer();

function clusterEnvironment(redisUrl: string): NodeJS.ProcessEnv {
  return {
    REDIS_URL: redisUrl,
    EXPORT_QUEUE_NAME: `outage-${randomUUID()}`,
    EXPORT_CLUSTER_LOCK_S: '3',
  };
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

describe('Redis unavailable at boot', () => {
  it('exits 1 with one line naming the URL (without its password) and the cause', async () => {
    const port = await closedPort();
    const start = startExecutor({ REDIS_URL: `redis://:s3cret-password@127.0.0.1:${port}` });
    const error = await start.then(
      () => undefined,
      (reason: Error) => reason,
    );
    expect(error?.message).toMatch(/exited with 1 before listening/);
    expect(error?.message).toContain(`cannot reach Redis at redis://:***@127.0.0.1:${port}`);
    expect(error?.message).toContain('ECONNREFUSED');
    expect(error?.message).toContain('EXECUTOR_CLUSTER_UNAVAILABLE');
    expect(error?.message).not.toContain('s3cret-password');
  });
});

describe('Redis lost while the replica runs', () => {
  it('turns /ready and new jobs to 503, then recovers without losing an accepted job', async () => {
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: redis.port });
    try {
      const executor = await startExecutor(clusterEnvironment(`redis://127.0.0.1:${proxy.port}`));
      // Accepted before the outage: one long enough to span it, one short.
      const running = await submitNdjsonJob(executor.url, 'format=csv', 300_000);
      const waiting = await submitNdjsonJob(executor.url, 'format=csv', 2_000);
      await waitUntilJobExports(executor.url, running.id, { timeoutMs: 20_000 });

      proxy.cut();
      const ready = await waitUntil(
        '/ready to answer 503',
        async () => {
          const answer = await httpJson(executor.url, '/ready');
          return answer.status === 503 ? answer : undefined;
        },
        { timeoutMs: 10_000, intervalMs: 100 },
      );
      expect(ready.json).toMatchObject({ code: 'EXECUTOR_CLUSTER_UNAVAILABLE' });
      expect(ready.headers['retry-after']).toBe('5');

      const refused = await httpJson(executor.url, '/export/jobs', {
        body: { format: 'csv', data: [{ id: 1 }] },
      });
      expect(refused.status).toBe(503);
      expect(refused.json).toMatchObject({ code: 'EXECUTOR_CLUSTER_UNAVAILABLE' });
      const run = await httpJson(executor.url, '/export/run', {
        body: { format: 'csv', data: [{ id: 1 }] },
      });
      expect(run.status).toBe(503);
      expect(run.json).toMatchObject({ code: 'EXECUTOR_CLUSTER_UNAVAILABLE' });
      const status = await httpJson(executor.url, `/export/jobs/${running.id}`);
      expect(status.status).toBe(503);
      // Still alive and answering what needs no Redis.
      expect((await httpJson(executor.url, '/health')).status).toBe(200);

      // Longer than the lock: the running job's hold lapses while the replica cannot renew it.
      await sleep(4_000);
      await proxy.restore();
      await waitUntil(
        '/ready to answer 200 again',
        async () => ((await httpJson(executor.url, '/ready')).status === 200 ? true : undefined),
        { timeoutMs: 15_000, intervalMs: 200 },
      );

      for (const job of [running, waiting]) {
        const settled = await waitUntilJobSettles(executor.url, job.id, {
          timeoutMs: 60_000,
          intervalMs: 250,
        });
        expect(settled).toMatchObject({ status: 'done', rows: job.progress.totalRows });
        const download = await digestDownload(executor.url, `/export/jobs/${job.id}/download`);
        expect(download.sha256).toBe(settled.sha256);
        expect(download.newlines).toBe(job.progress.totalRows + 1);
      }
      const accepted = await httpJson(executor.url, '/export/jobs', {
        body: { format: 'csv', data: [{ id: 1 }] },
      });
      expect(accepted.status).toBe(202);
      expect(executor.child.exitCode).toBeNull();
    } finally {
      await proxy.close();
    }
  }, 120_000);
});
