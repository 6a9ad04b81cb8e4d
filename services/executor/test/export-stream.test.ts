import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from './build-test-app.js';

const trades = [
  { id: 1, symbol: 'ACME', qty: 10 },
  { id: 2, symbol: 'İNİT', qty: -3 },
];

describe('POST /export/stream', () => {
  it('answers with the CSV itself for a JSON body', async () => {
    const app = await buildTestApp();
    const response = await app.inject({
      method: 'POST',
      url: '/export/stream',
      payload: { format: 'csv', data: trades, csvProfile: 'rfc4180' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="export-[0-9a-f-]{36}\.csv"$/,
    );
    expect(response.body).toBe('id,symbol,qty\r\n1,ACME,10\r\n2,İNİT,-3\r\n');
  });

  it('reads an NDJSON upload with the options in the query string', async () => {
    const app = await buildTestApp();
    const response = await app.inject({
      method: 'POST',
      url: '/export/stream?format=csv&columns=symbol,qty&csvProfile=rfc4180',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: trades.map((trade) => JSON.stringify(trade)).join('\n'),
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('symbol,qty\r\nACME,10\r\nİNİT,-3\r\n');
  });

  it('answers with a PDF for format=pdf', async () => {
    const app = await buildTestApp();
    const response = await app.inject({
      method: 'POST',
      url: '/export/stream?format=pdf&title=Trades',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: trades.map((trade) => JSON.stringify(trade)).join('\n'),
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(response.rawPayload.subarray(-6).toString()).toContain('%%EOF');
  });

  it('answers 400 naming the line of a malformed NDJSON line', async () => {
    const app = await buildTestApp();
    const response = await app.inject({
      method: 'POST',
      url: '/export/stream?format=csv',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: '{"id":1}\n{"id":2}\n{"id":\n',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'EXPORT_INVALID_RECORD' });
    expect(response.json().message).toMatch(/^line 3 is not valid JSON/);
  });

  it('answers 400 for an NDJSON upload without a format', async () => {
    const app = await buildTestApp();
    const response = await app.inject({
      method: 'POST',
      url: '/export/stream',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: '{"id":1}\n',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain('format');
  });

  it('answers 400 naming the query field for an unknown format', async () => {
    const app = await buildTestApp();
    const response = await app.inject({
      method: 'POST',
      url: '/export/stream?format=docx',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: '{"id":1}\n',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain('format');
  });

  it('answers 413 EXECUTOR_TOO_MANY_ROWS before streaming when a small upload is over EXPORT_MAX_ROWS', async () => {
    const app = await buildTestApp({ EXPORT_MAX_ROWS: '2' });
    const response = await app.inject({
      method: 'POST',
      url: '/export/stream?format=csv',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: '{"id":1}\n{"id":2}\n{"id":3}\n',
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().code).toBe('EXECUTOR_TOO_MANY_ROWS');
  });

  it('answers 429 with Retry-After and the queue depth when the limiter is full', async () => {
    const app = await buildTestApp({ EXPORT_MAX_CONCURRENT: '1', EXPORT_MAX_QUEUE: '0' });
    const slowUpload = new PassThrough();
    slowUpload.write('{"id":1}\n');
    const holding = app.inject({
      method: 'POST',
      url: '/export/stream?format=csv',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: slowUpload,
    });
    await expect
      .poll(async () => (await app.inject({ method: 'GET', url: '/export/status' })).json().running)
      .toBe(1);
    const refused = await app.inject({
      method: 'POST',
      url: '/export/run',
      payload: { format: 'csv', data: trades },
    });
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.json()).toMatchObject({
      statusCode: 429,
      code: 'LIMITER_QUEUE_FULL',
      error: 'Too Many Requests',
      queued: 0,
      maxQueue: 0,
      retryAfterSeconds: Number(refused.headers['retry-after']),
    });
    slowUpload.end('{"id":2}\n');
    expect((await holding).statusCode).toBe(200);
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('export_requests_total{format="csv",outcome="rejected"} 1');
  });
});
