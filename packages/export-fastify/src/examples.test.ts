import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildReportApp } from '../examples/download-a-report.js';
import { buildLimitedApp } from '../examples/limiter-and-metrics.js';
import { buildPoolApp } from '../examples/run-on-a-pool.js';
import { buildUploadApp } from '../examples/upload-ndjson.js';

// The README quotes these files: they must do what it says.
const apps: FastifyInstance[] = [];

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function started(app: Promise<FastifyInstance>): Promise<FastifyInstance> {
  apps.push(await app);
  return apps.at(-1) as FastifyInstance;
}

const ndjson = '{"id":1,"symbol":"ACME"}\n{"id":2,"symbol":"İNİT"}\n';

describe('the README examples', () => {
  it('download-a-report.ts sends a CSV named after the desk, with its name in UTF-8 too', async () => {
    const app = await started(buildReportApp());
    const response = await app.inject({ method: 'GET', url: '/desks/Ankara%20%C3%87/trades.csv' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="trades Ankara C.csv"; filename*=UTF-8''trades%20Ankara%20%C3%87.csv`,
    );
    expect(response.body.split('\r\n')[0]).toBe('id,trader,PnL,bookedAt');
  });

  it('download-a-report.ts sends the PDF too', async () => {
    const app = await started(buildReportApp());
    const response = await app.inject({ method: 'GET', url: '/desks/north/trades.pdf' });
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('upload-ndjson.ts converts an NDJSON upload to the format asked for', async () => {
    const app = await started(buildUploadApp());
    const response = await app.inject({
      method: 'POST',
      url: '/convert?format=pdf&title=Trades',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: ndjson,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toBe('attachment; filename="converted.pdf"');
  });

  it('limiter-and-metrics.ts counts each export in its metrics', async () => {
    const app = await started(buildLimitedApp());
    const download = await app.inject({
      method: 'GET',
      url: '/ledger.csv',
      headers: { 'x-user-id': 'ada' },
    });
    expect(download.statusCode).toBe(200);
    await expect
      .poll(async () => (await app.inject({ method: 'GET', url: '/metrics' })).body)
      .toContain('export_requests_total{format="csv",outcome="success"} 1');
  });

  it('run-on-a-pool.ts exports an upload on a worker thread', async () => {
    const app = await started(buildPoolApp());
    const response = await app.inject({
      method: 'POST',
      url: '/convert.csv',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: ndjson,
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('id,symbol\r\n1,ACME\r\n2,İNİT\r\n');
  });
});
