import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from './build-test-app.js';

describe('EXPORT_JOB_TIMEOUT_S', () => {
  it('stops an export that runs too long with 504 EXECUTOR_EXPORT_TIMEOUT and frees its slot', async () => {
    const app = await buildTestApp({ EXPORT_JOB_TIMEOUT_S: '1', EXPORT_MAX_CONCURRENT: '1' });
    const neverEnding = new PassThrough();
    neverEnding.write('{"id":1}\n');
    const startedAt = Date.now();
    const response = await app.inject({
      method: 'POST',
      url: '/export/stream?format=csv',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: neverEnding,
    });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(900);
    expect(response.statusCode).toBe(504);
    expect(response.json()).toMatchObject({
      code: 'EXECUTOR_EXPORT_TIMEOUT',
      error: 'Gateway Timeout',
    });
    const status = (await app.inject({ method: 'GET', url: '/export/status' })).json();
    expect(status).toMatchObject({ running: 0, queued: 0 });
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('export_fail_total{format="csv",reason="timeout"} 1');
  });
});
