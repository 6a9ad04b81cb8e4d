import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTestApp, buildTestAppWithFolder } from './build-test-app.js';

const trades = [
  { id: 1, symbol: 'ACME', qty: 10, price: 12.5 },
  { id: 2, symbol: 'INIT', qty: -3, price: 99 },
];

describe('POST /export/run', () => {
  it('writes the CSV into the export folder and describes it as the earlier system did', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder();
    const response = await app.inject({
      method: 'POST',
      url: '/export/run',
      payload: { format: 'csv', data: trades, csvProfile: 'rfc4180' },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toEqual({
      success: true,
      result: {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        filename: `${body.result.id}.csv`,
        bytes: expect.any(Number),
        rows: 2,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        droppedFields: { count: 0, names: [] },
        truncatedCells: { count: 0, columns: [] },
      },
      processingTime: expect.any(Number),
      records: 2,
    });
    const file = await readFile(join(exportDirectory, body.result.filename));
    expect(file.toString()).toBe('id,symbol,qty,price\r\n1,ACME,10,12.5\r\n2,INIT,-3,99\r\n');
    expect(body.result.bytes).toBe(file.length);
    expect(body.result.sha256).toBe(createHash('sha256').update(file).digest('hex'));
  });

  it('writes Excel-ready CSV by default: BOM first', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder();
    const response = await app.inject({
      method: 'POST',
      url: '/export/run',
      payload: { format: 'csv', data: trades },
    });
    const file = await readFile(join(exportDirectory, response.json().result.filename));
    expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('writes an empty CSV, the BOM only, for no records and no columns', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder();
    const response = await app.inject({
      method: 'POST',
      url: '/export/run',
      payload: { format: 'csv', data: [] },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ result: { rows: 0, bytes: 3 }, records: 0 });
    const file = await readFile(join(exportDirectory, response.json().result.filename));
    expect(file.toString('hex')).toBe('efbbbf');
  });

  it('writes a PDF with the columns and title asked for', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder();
    const response = await app.inject({
      method: 'POST',
      url: '/export/run',
      payload: {
        format: 'pdf',
        data: trades,
        columns: ['symbol', 'qty'],
        title: 'Trades',
        user: 'alice',
      },
    });
    expect(response.statusCode).toBe(200);
    const file = await readFile(join(exportDirectory, response.json().result.filename));
    expect(file.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it.each([
    [{ data: trades }, 'format'],
    [{ format: 'docx', data: trades }, 'format'],
    [{ format: 'csv' }, 'data'],
    [{ format: 'csv', data: 'rows' }, 'data'],
    [{ format: 'csv', data: [1, 2] }, 'data/0'],
    [{ format: 'csv', data: trades, columns: 'id' }, 'columns'],
    [{ format: 'csv', data: trades, title: 42 }, 'title'],
    [{ format: 'csv', data: trades, colums: ['id'] }, 'colums'],
  ])('answers 400 EXECUTOR_INVALID_REQUEST naming the field for %j', async (payload, field) => {
    const app = await buildTestApp();
    const response = await app.inject({ method: 'POST', url: '/export/run', payload });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body).toMatchObject({
      statusCode: 400,
      code: 'EXECUTOR_INVALID_REQUEST',
      error: 'Bad Request',
    });
    expect(body.message).toContain(field);
  });

  it('says plainly what is wrong with an unknown format', async () => {
    const app = await buildTestApp();
    const response = await app.inject({
      method: 'POST',
      url: '/export/run',
      payload: { format: 'docx', data: trades },
    });
    expect(response.json().message).toBe('body/format must be equal to one of the allowed values');
  });

  it('answers 400 EXECUTOR_INVALID_JSON for a body that is not JSON', async () => {
    const app = await buildTestApp();
    const response = await app.inject({
      method: 'POST',
      url: '/export/run',
      headers: { 'content-type': 'application/json' },
      payload: '{"format": "csv", "data": [',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('EXECUTOR_INVALID_JSON');
  });

  it('answers 400 with the record index for a record with no columns to write', async () => {
    const app = await buildTestApp();
    const response = await app.inject({
      method: 'POST',
      url: '/export/run',
      payload: { format: 'csv', data: [{}] },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'EXPORT_NO_COLUMNS' });
  });

  it('answers 413 EXECUTOR_TOO_MANY_ROWS over EXPORT_MAX_ROWS, and keeps nothing', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder({ EXPORT_MAX_ROWS: '1' });
    const response = await app.inject({
      method: 'POST',
      url: '/export/run',
      payload: { format: 'csv', data: trades },
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().code).toBe('EXECUTOR_TOO_MANY_ROWS');
    expect((await readdir(exportDirectory)).filter((name) => name !== 'jobs')).toEqual([]);
  });

  it('exports EXPORT_MAX_ROWS records, and refuses record EXPORT_MAX_ROWS + 1 where it is read, before the rest of the body', async () => {
    const app = await buildTestApp({ EXPORT_MAX_ROWS: '3' });
    const records = (count: number) => Array.from({ length: count }, (_, id) => `{"id":${id}}`);
    const atLimit = await app.inject({
      method: 'POST',
      url: '/export/run',
      headers: { 'content-type': 'application/json' },
      body: `{"format":"csv","data":[${records(3).join(',')}]}`,
    });
    expect(atLimit.statusCode).toBe(200);
    // What follows record 4 is never scanned: its syntax error goes unseen.
    const overLimit = await app.inject({
      method: 'POST',
      url: '/export/run',
      headers: { 'content-type': 'application/json' },
      body: `{"format":"csv","data":[${records(4).join(',')},{"id":}]} not json`,
    });
    expect(overLimit.statusCode).toBe(413);
    expect(overLimit.json()).toEqual({
      statusCode: 413,
      code: 'EXECUTOR_TOO_MANY_ROWS',
      error: 'Payload Too Large',
      message: 'the export has more than 3 rows (EXPORT_MAX_ROWS); nothing was kept',
    });
  });

  it('answers 413 EXECUTOR_BODY_TOO_LARGE over EXPORT_BODY_LIMIT_MB', async () => {
    const app = await buildTestApp({ EXPORT_BODY_LIMIT_MB: '1' });
    const data = Array.from({ length: 20_000 }, (_, id) => ({ id, note: 'x'.repeat(60) }));
    const response = await app.inject({
      method: 'POST',
      url: '/export/run',
      payload: { format: 'csv', data },
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().code).toBe('EXECUTOR_BODY_TOO_LARGE');
  });

  it('answers 415 EXECUTOR_UNSUPPORTED_MEDIA_TYPE for a body that is not JSON', async () => {
    const app = await buildTestApp();
    const response = await app.inject({
      method: 'POST',
      url: '/export/run',
      headers: { 'content-type': 'text/plain' },
      payload: 'format=csv',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().code).toBe('EXECUTOR_UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 503 EXECUTOR_DRAINING while the executor drains', async () => {
    const app = await buildTestApp();
    app.lifecycle.startDraining();
    const response = await app.inject({
      method: 'POST',
      url: '/export/run',
      payload: { format: 'csv', data: trades },
    });
    expect(response.statusCode).toBe(503);
    expect(response.json().code).toBe('EXECUTOR_DRAINING');
  });

  it('answers 500 EXPORT_WRITE_FAILED when the export folder is gone, without leaking details', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder();
    await rm(exportDirectory, { recursive: true });
    const response = await app.inject({
      method: 'POST',
      url: '/export/run',
      payload: { format: 'csv', data: trades },
    });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      statusCode: 500,
      code: 'EXPORT_WRITE_FAILED',
      error: 'Internal Server Error',
      message: 'the executor failed to complete the request; the error is logged',
    });
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('export_fail_total{format="csv",reason="write"} 1');
  });

  it('counts the export in the metrics', async () => {
    const app = await buildTestApp();
    await app.inject({
      method: 'POST',
      url: '/export/run',
      payload: { format: 'csv', data: trades },
    });
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('export_requests_total{format="csv",outcome="success"} 1');
    expect(metrics).toContain('export_rows_total{format="csv"} 2');
  });

  it('answers 404 EXECUTOR_NOT_FOUND for an unknown route', async () => {
    const app = await buildTestApp();
    const response = await app.inject({ method: 'GET', url: '/export/nope?x=1' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      statusCode: 404,
      code: 'EXECUTOR_NOT_FOUND',
      error: 'Not Found',
      message: 'no route GET /export/nope',
    });
  });
});
