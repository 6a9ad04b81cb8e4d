import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../build-test-app.js';
import { exportStatus, holdAnExportSlot, submitJob, trades } from '../job-helpers.js';
import { useRedisServer } from './use-redis-server.js';

const redis = useRedisServer();

/** Two replicas' worth of local room, one cluster slot, and no cluster queue. */
function oneSlotCluster(): Promise<Awaited<ReturnType<typeof buildTestApp>>> {
  return buildTestApp({
    REDIS_URL: redis.url,
    EXPORT_QUEUE_NAME: `requests-${randomUUID()}`,
    EXPORT_MAX_CONCURRENT: '5',
    EXPORT_CLUSTER_MAX_CONCURRENT: '1',
    EXPORT_CLUSTER_MAX_QUEUE: '0',
  });
}

describe('/export/run and /export/stream in a cluster', () => {
  it('hold a cluster slot while they run, so the cluster cap binds them too', async () => {
    const app = await oneSlotCluster();
    const slot = await holdAnExportSlot(app);
    const status = await exportStatus(app);
    expect(status.cluster).toMatchObject({ running: 1, maxConcurrent: 1, maxQueue: 0 });

    // Free local slots, but the one cluster slot is taken and the cluster queue allows none.
    for (const url of ['/export/run', '/export/stream']) {
      const refused = await app.inject({
        method: 'POST',
        url,
        payload: { format: 'csv', data: trades },
      });
      expect(refused.statusCode).toBe(429);
      expect(refused.json()).toMatchObject({ code: 'LIMITER_QUEUE_FULL', maxQueue: 0 });
      expect(refused.json().message).toContain('EXPORT_CLUSTER_MAX_QUEUE');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    const job = await app.inject({
      method: 'POST',
      url: '/export/jobs',
      payload: { format: 'csv', data: trades },
    });
    expect(job.statusCode).toBe(429);

    await slot.release();
    const ran = await app.inject({
      method: 'POST',
      url: '/export/run',
      payload: { format: 'csv', data: trades },
    });
    expect(ran.statusCode).toBe(200);
    expect((await exportStatus(app)).cluster).toMatchObject({ running: 0, queued: 0 });
  });

  it('count a refusal from the cluster as rejected in the metrics', async () => {
    const app = await oneSlotCluster();
    const slot = await holdAnExportSlot(app);
    await app.inject({
      method: 'POST',
      url: '/export/run',
      payload: { format: 'csv', data: trades },
    });
    await slot.release();
    await submitJob(app, { format: 'csv', data: trades });
    const metrics = (await app.inject({ method: 'GET', url: '/export/metrics' })).body;
    expect(metrics).toMatch(/export_requests_total\{format="csv",outcome="rejected"\} 1\b/);
    expect(metrics).toMatch(/^export_cluster_concurrent_limit 1$/m);
    expect(metrics).toMatch(/^export_cluster_queue_capacity 0$/m);
  });
});
