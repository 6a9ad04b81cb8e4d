import { describe, expect, it } from 'vitest';
import { buildTestApp, buildTestAppWithFolder } from './build-test-app.js';
import {
  holdAnExportSlot,
  jobFolders,
  ndjsonOf,
  runningJob,
  sampleRows,
  submitJob,
  trades,
  tradesCsv,
  waitForJobFiles,
  waitForJobStatus,
} from './job-helpers.js';
import { jobRecordFiles } from './test-backend.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('POST /export/jobs', () => {
  it('accepts a JSON body with 202, the queued job, its links and a Location header', async () => {
    const app = await buildTestApp();
    const response = await app.inject({
      method: 'POST',
      url: '/export/jobs',
      payload: { format: 'csv', data: trades, csvProfile: 'rfc4180' },
    });
    expect(response.statusCode).toBe(202);
    const job = response.json();
    expect(job).toEqual({
      id: expect.stringMatching(uuid),
      format: 'csv',
      status: 'queued',
      rows: null,
      bytes: null,
      sha256: null,
      progress: { rows: 0, totalRows: 2 },
      columns: ['id', 'symbol', 'qty', 'price'],
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      startedAt: null,
      finishedAt: null,
      durationMs: null,
      error: null,
      droppedFields: null,
      truncatedCells: null,
      links: { self: `/export/jobs/${job.id}`, download: `/export/jobs/${job.id}/download` },
      callbackUrl: null,
      downloadUrl: null,
      downloadUrlExpiresAt: null,
    });
    expect(response.headers.location).toBe(`/export/jobs/${job.id}`);
  });

  it('runs a JSON job to the CSV the body asks for', async () => {
    const app = await buildTestApp();
    const job = await submitJob(app, { format: 'csv', data: trades, csvProfile: 'rfc4180' });
    await waitForJobStatus(app, job.id, ['done']);
    const download = await app.inject({ method: 'GET', url: job.links.download });
    expect(download.body).toBe(tradesCsv);
  });

  it('takes an NDJSON upload with format, columns, title and csvProfile in the query string', async () => {
    const app = await buildTestApp();
    const response = await app.inject({
      method: 'POST',
      url: '/export/jobs?format=csv&columns=symbol,qty&title=Trades&csvProfile=rfc4180',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: ndjsonOf(trades),
    });
    expect(response.statusCode).toBe(202);
    const job = response.json();
    expect(job).toMatchObject({
      format: 'csv',
      status: 'queued',
      columns: ['symbol', 'qty'],
      progress: { rows: 0, totalRows: 2 },
    });
    await waitForJobStatus(app, job.id, ['done']);
    const download = await app.inject({ method: 'GET', url: job.links.download });
    expect(download.body).toBe('symbol,qty\r\nACME,10\r\nINIT,-3\r\n');
  });

  it('makes a PDF for format=pdf', async () => {
    const app = await buildTestApp();
    const response = await app.inject({
      method: 'POST',
      url: '/export/jobs?format=pdf&title=Trades',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: ndjsonOf(trades),
    });
    const job = await waitForJobStatus(app, response.json().id, ['done']);
    const download = await app.inject({ method: 'GET', url: job.links.download });
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('accepts no records when the columns are given, and makes a file of the header only', async () => {
    const app = await buildTestApp();
    const job = await submitJob(app, {
      format: 'csv',
      data: [],
      columns: ['id', 'symbol'],
      csvProfile: 'rfc4180',
    });
    const done = await waitForJobStatus(app, job.id, ['done']);
    expect(done.rows).toBe(0);
    expect((await app.inject({ method: 'GET', url: job.links.download })).body).toBe(
      'id,symbol\r\n',
    );
  });

  it.each([
    [{ data: trades }, 'format'],
    [{ format: 'docx', data: trades }, 'format'],
    [{ format: 'csv' }, 'data'],
    [{ format: 'csv', data: 'rows' }, 'data'],
    [{ format: 'csv', data: [1, 2] }, 'data/0'],
    [{ format: 'csv', data: trades, columns: 'id' }, 'columns'],
    [{ format: 'csv', data: trades, title: 42 }, 'title'],
    [{ format: 'csv', data: trades, csvProfile: 'tsv' }, 'csvProfile'],
    [{ format: 'csv', data: trades, colums: ['id'] }, 'colums'],
  ])(
    'answers 400 EXECUTOR_INVALID_REQUEST naming the field for %j, keeping nothing',
    async (payload, field) => {
      const { app, exportDirectory } = await buildTestAppWithFolder();
      const response = await app.inject({ method: 'POST', url: '/export/jobs', payload });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ statusCode: 400, code: 'EXECUTOR_INVALID_REQUEST' });
      expect(response.json().message).toContain(field);
      expect(await jobFolders(exportDirectory)).toEqual([]);
    },
  );

  it.each([
    ['no format', '/export/jobs', 'format'],
    ['an unknown format', '/export/jobs?format=docx', 'format'],
    ['an unknown csvProfile', '/export/jobs?format=csv&csvProfile=tsv', 'csvProfile'],
  ])(
    'answers 400 naming the query field for an NDJSON upload with %s',
    async (_name, url, field) => {
      const app = await buildTestApp();
      const response = await app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-ndjson' },
        payload: ndjsonOf(trades),
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('EXECUTOR_INVALID_REQUEST');
      expect(response.json().message).toContain(field);
    },
  );

  it('answers 400 naming the line of a malformed NDJSON line, and leaves no job folder', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder();
    const response = await app.inject({
      method: 'POST',
      url: '/export/jobs?format=csv',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: '{"id":1}\n{"id":2}\n{"id":\n',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('EXPORT_INVALID_RECORD');
    expect(response.json().message).toMatch(/^line 3 is not valid JSON/);
    expect(await jobFolders(exportDirectory)).toEqual([]);
  });

  it('answers 400 EXPORT_NO_COLUMNS for records with no columns to write, and leaves no job folder', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder();
    const response = await app.inject({
      method: 'POST',
      url: '/export/jobs',
      payload: { format: 'csv', data: [{}] },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('EXPORT_NO_COLUMNS');
    expect(await jobFolders(exportDirectory)).toEqual([]);
  });

  it.each([
    ['a JSON body', 'application/json', JSON.stringify({ format: 'csv', data: trades })],
    ['an NDJSON upload', 'application/x-ndjson', ndjsonOf(trades)],
  ])(
    'answers 413 EXECUTOR_TOO_MANY_ROWS over EXPORT_MAX_ROWS for %s, keeping nothing',
    async (_name, contentType, payload) => {
      const { app, exportDirectory } = await buildTestAppWithFolder({ EXPORT_MAX_ROWS: '1' });
      const response = await app.inject({
        method: 'POST',
        url: '/export/jobs?format=csv',
        headers: { 'content-type': contentType },
        payload,
      });
      expect(response.statusCode).toBe(413);
      expect(response.json()).toMatchObject({
        code: 'EXECUTOR_TOO_MANY_ROWS',
        message: 'the export has more than 1 rows (EXPORT_MAX_ROWS); nothing was kept',
      });
      expect(await jobFolders(exportDirectory)).toEqual([]);
    },
  );

  it('answers 415 EXECUTOR_UNSUPPORTED_MEDIA_TYPE for a body that is neither JSON nor NDJSON', async () => {
    const app = await buildTestApp();
    const response = await app.inject({
      method: 'POST',
      url: '/export/jobs',
      headers: { 'content-type': 'text/csv' },
      payload: 'id\n1\n',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().code).toBe('EXECUTOR_UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 429 LIMITER_QUEUE_FULL with Retry-After while a job runs and the queue is full, keeping nothing of the refused job', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder({
      EXPORT_MAX_CONCURRENT: '1',
      EXPORT_MAX_QUEUE: '0',
      EXPORT_SHUTDOWN_TIMEOUT_S: '0',
    });
    const running = await runningJob(app);
    const response = await app.inject({
      method: 'POST',
      url: '/export/jobs',
      payload: { format: 'csv', data: trades },
    });
    expect(response.statusCode).toBe(429);
    expect(response.json()).toMatchObject({ code: 'LIMITER_QUEUE_FULL', maxQueue: 0 });
    expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(await jobFolders(exportDirectory)).toEqual([running.id]);
    const list = await app.inject({ method: 'GET', url: '/export/jobs' });
    expect(list.json().jobs.map((job: { id: string }) => job.id)).toEqual([running.id]);
  });

  it('queues a job behind a running export instead of refusing it while the queue has room', async () => {
    const app = await buildTestApp({ EXPORT_MAX_CONCURRENT: '1', EXPORT_MAX_QUEUE: '1' });
    const slot = await holdAnExportSlot(app);
    const job = await submitJob(app, { format: 'csv', data: trades });
    expect((await waitForJobStatus(app, job.id, ['queued'])).startedAt).toBeNull();
    await slot.release();
    await waitForJobStatus(app, job.id, ['done']);
  });

  it('answers 503 EXECUTOR_DRAINING with Retry-After while the executor drains, keeping nothing', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder();
    app.lifecycle.startDraining();
    const response = await app.inject({
      method: 'POST',
      url: '/export/jobs',
      payload: { format: 'csv', data: trades },
    });
    expect(response.statusCode).toBe(503);
    expect(response.json().code).toBe('EXECUTOR_DRAINING');
    expect(response.headers['retry-after']).toBe('5');
    expect(await jobFolders(exportDirectory)).toEqual([]);
  });

  it("keeps only the file, its manifest and the record in a done job's folder", async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder();
    const job = await submitJob(app, { format: 'csv', data: sampleRows(5_000) });
    const done = await waitForJobStatus(app, job.id, ['done']);
    expect(done.rows).toBe(5_000);
    await waitForJobFiles(
      exportDirectory,
      job.id,
      ['export.csv', ...jobRecordFiles, 'manifest.json'].sort(),
    );
  });
});
