import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { exportPlugin } from '../src/plugins/export-plugin.js';

const openApps: FastifyInstance[] = [];

function plainFastifyApp(): FastifyInstance {
  const app = Fastify({ logger: false });
  openApps.push(app);
  return app;
}

afterEach(async () => {
  await Promise.all(openApps.splice(0).map((app) => app.close()));
});

describe('exportPlugin', () => {
  it('registers on a plain Fastify app and exposes its metrics', async () => {
    const app = plainFastifyApp();
    await app.register(exportPlugin, {
      registry: new Registry(),
      exportDirectory: mkdtempSync(join(tmpdir(), 'export-plugin-')),
      limiter: { maxConcurrent: 2, maxQueue: 3 },
    });
    const { body } = await app.inject({ method: 'GET', url: '/export/metrics' });
    expect(body).toContain('\nexport_concurrent_limit 2\n');
    expect(body).toContain('\nexport_queue_capacity 3\n');
  });

  it('fails at registration with the limiter error code for a bad limiter option', async () => {
    const app = plainFastifyApp();
    await expect(
      app.register(exportPlugin, {
        registry: new Registry(),
        exportDirectory: mkdtempSync(join(tmpdir(), 'export-plugin-')),
        limiter: { maxConcurrent: 0 },
      }),
    ).rejects.toMatchObject({
      code: 'LIMITER_INVALID_OPTION',
      message: 'option `maxConcurrent` must be an integer >= 1, got 0',
    });
  });
});
