import { createLimiter, type Limiter } from '@org/export-limiter';
import { createExportMetrics } from '@org/export-metrics';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from './test-helpers/build-app.js';
import { trades } from './test-helpers/records.js';

const limiters: Limiter[] = [];

afterEach(async () => {
  await Promise.all(limiters.splice(0).map((limiter) => limiter.close()));
});

/** A source that waits for `release` after its first record: an export that holds its slot. */
function heldExport() {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  async function* records() {
    yield { id: 1 };
    await released;
    yield { id: 2 };
  }
  return { records: records(), release };
}

async function setup(limits: Parameters<typeof createLimiter>[0]) {
  const registry = new Registry();
  const metrics = createExportMetrics({ registry });
  const limiter = createLimiter(limits);
  limiters.push(limiter);
  const held = heldExport();
  const keys: (string | undefined)[] = [];
  const app = await buildApp(
    (routes) => {
      routes.get('/held', async (_request, reply) =>
        reply.export({ format: 'csv', source: held.records }),
      );
      routes.get('/trades', async (_request, reply) =>
        reply.export({ format: 'csv', source: trades }),
      );
    },
    {
      limiter,
      metrics,
      limiterKey: (request) => {
        const user = request.headers['x-user'] as string | undefined;
        keys.push(user);
        return user;
      },
    },
  );
  return { app, limiter, registry, held, keys };
}

describe('reply.export through a limiter', () => {
  it('answers 429 with Retry-After when the queue is full, and counts it rejected', async () => {
    const { app, limiter, registry, held } = await setup({ maxConcurrent: 1, maxQueue: 0 });
    const holding = app.inject({ method: 'GET', url: '/held' });
    await expect.poll(() => limiter.stats().running).toBe(1);

    const refused = await app.inject({ method: 'GET', url: '/trades' });

    expect(refused.statusCode).toBe(429);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(refused.headers['content-disposition']).toBeUndefined();
    expect(refused.json()).toEqual({
      statusCode: 429,
      code: 'LIMITER_QUEUE_FULL',
      error: 'Too Many Requests',
      message: `every slot is busy and queueing is off; retry in ${retryAfter} s`,
    });
    held.release();
    expect((await holding).statusCode).toBe(200);
    // The response may end a turn before the export's promise settles, and is counted.
    await expect
      .poll(() => registry.metrics())
      .toContain('export_requests_total{format="csv",outcome="success"} 1');
    expect(await registry.metrics()).toContain(
      'export_requests_total{format="csv",outcome="rejected"} 1',
    );
  });

  it("answers 429 LIMITER_KEY_QUEUE_FULL for a key with too many waiting, keyed by the request's limiterKey", async () => {
    const { app, limiter, held, keys } = await setup({
      maxConcurrent: 1,
      maxQueue: 10,
      maxQueuedPerKey: 0,
    });
    const holding = app.inject({ method: 'GET', url: '/held', headers: { 'x-user': 'ada' } });
    await expect.poll(() => limiter.stats().running).toBe(1);

    const refused = await app.inject({
      method: 'GET',
      url: '/trades',
      headers: { 'x-user': 'ada' },
    });

    expect(refused.statusCode).toBe(429);
    expect(refused.json().code).toBe('LIMITER_KEY_QUEUE_FULL');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(keys).toEqual(['ada', 'ada']);
    held.release();
    await holding;
  });

  it('answers 503 LIMITER_CLOSED once the limiter is closing', async () => {
    const { app, limiter } = await setup({});
    await limiter.close();
    const refused = await app.inject({ method: 'GET', url: '/trades' });
    expect(refused.statusCode).toBe(503);
    expect(refused.json().code).toBe('LIMITER_CLOSED');
  });

  it('queues an export while a slot is taken, and sends it once one frees', async () => {
    const { app, limiter, registry, held } = await setup({ maxConcurrent: 1, maxQueue: 1 });
    const holding = app.inject({ method: 'GET', url: '/held' });
    await expect.poll(() => limiter.stats().running).toBe(1);
    const queued = app.inject({ method: 'GET', url: '/trades' });
    await expect.poll(() => limiter.stats().queued).toBe(1);
    held.release();
    expect((await holding).body).toBe('id\r\n1\r\n2\r\n');
    expect((await queued).statusCode).toBe(200);
    await expect
      .poll(() => registry.metrics())
      .toContain('export_requests_total{format="csv",outcome="success"} 2');
  });
});
