import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { digestDownload } from '../real-server/digest-download.js';
import {
  submitNdjsonJob,
  waitUntilJobExports,
  waitUntilJobSettles,
} from '../real-server/job-client.js';
import { startExecutor } from '../real-server/spawn-executor.js';
import { waitUntil } from '../real-server/wait-until.js';
import { useRedisServer } from './use-redis-server.js';

const redis = useRedisServer();

const startedOn = (logs: string, id: string) =>
  logs
    .split('\n')
    .filter((line) => line.includes(id) && line.includes('export job started on this replica'));

describe('a replica stopped with SIGTERM', () => {
  it('hands the job it could not finish in its grace period to another replica', async () => {
    const exportDirectory = mkdtempSync(join(tmpdir(), 'cluster-shutdown-'));
    const environment = {
      REDIS_URL: redis.url,
      EXPORT_QUEUE_NAME: `shutdown-${randomUUID()}`,
      EXPORT_CLUSTER_LOCK_S: '5',
      EXPORT_SHUTDOWN_TIMEOUT_S: '0',
    };
    // Only the first replica runs at first, so it is the one that takes the job.
    const first = await startExecutor(environment, { exportDirectory });
    const job = await submitNdjsonJob(first.url, 'format=csv', 400_000);
    await waitUntilJobExports(first.url, job.id, { timeoutMs: 20_000 });
    const second = await startExecutor(environment, { exportDirectory });

    const stoppedAt = Date.now();
    expect(await first.stop('SIGTERM')).toBe(0);

    await waitUntil(
      'the second replica to take the job',
      async () => (startedOn(second.logs(), job.id).length > 0 ? true : undefined),
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    // Handed back at once, not found later by the stalled-job check (5 s here).
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
    const done = await waitUntilJobSettles(second.url, job.id, {
      timeoutMs: 60_000,
      intervalMs: 200,
    });
    expect(done).toMatchObject({ status: 'done', rows: 400_000 });
    const download = await digestDownload(second.url, `/export/jobs/${job.id}/download`);
    expect(download.sha256).toBe(done.sha256);
    expect(download.newlines).toBe(400_001);
    expect(startedOn(first.logs(), job.id)).toHaveLength(1);
    expect(
      readdirSync(join(exportDirectory, 'jobs', job.id)).filter((name) =>
        name.endsWith('.partial'),
      ),
    ).toEqual([]);
  }, 120_000);
});
