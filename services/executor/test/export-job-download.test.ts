import { describe, expect, it } from 'vitest';
import type { ExecutorApp } from '../src/app.js';
import { buildTestApp } from './build-test-app.js';
import {
  finishedJob,
  holdAnExportSlot,
  type JobView,
  runningJob,
  sha256Of,
  submitJob,
  trades,
  tradesCsv,
} from './job-helpers.js';

const size = Buffer.byteLength(tradesCsv);

function download(app: ExecutorApp, job: JobView, headers: Record<string, string> = {}) {
  return app.inject({ method: 'GET', url: job.links.download, headers });
}

describe('GET /export/jobs/:id/download', () => {
  it('answers 200 with the file, its type, length, name, ETag and Accept-Ranges', async () => {
    const app = await buildTestApp();
    const job = await finishedJob(app);
    const response = await download(app, job);
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe(tradesCsv);
    expect(response.headers).toMatchObject({
      'content-type': 'text/csv; charset=utf-8',
      'content-length': String(size),
      'content-disposition': `attachment; filename="export-${job.id}.csv"`,
      etag: `"${sha256Of(tradesCsv)}"`,
      'accept-ranges': 'bytes',
      'cache-control': 'private, no-cache',
    });
  });

  it('answers HEAD with the headers of the download and no body', async () => {
    const app = await buildTestApp();
    const job = await finishedJob(app);
    const response = await app.inject({ method: 'HEAD', url: job.links.download });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-length']).toBe(String(size));
    expect(response.headers.etag).toBe(`"${job.sha256}"`);
    expect(response.body).toBe('');
  });

  it.each([
    ['an unknown id', '00000000-0000-4000-8000-000000000000'],
    ['a path out of the jobs folder', encodeURIComponent('../../etc/passwd')],
  ])('answers 404 EXECUTOR_JOB_NOT_FOUND for %s', async (_name, id) => {
    const app = await buildTestApp();
    const response = await app.inject({ method: 'GET', url: `/export/jobs/${id}/download` });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('EXECUTOR_JOB_NOT_FOUND');
  });

  it('answers 409 EXECUTOR_JOB_NOT_READY while the job is queued', async () => {
    const app = await buildTestApp({ EXPORT_MAX_CONCURRENT: '1' });
    const slot = await holdAnExportSlot(app);
    const job = await submitJob(app, { format: 'csv', data: trades });
    const response = await download(app, job);
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({
      statusCode: 409,
      code: 'EXECUTOR_JOB_NOT_READY',
      error: 'Conflict',
      message: `export job ${job.id} is queued; its file can be downloaded once its status is done`,
    });
    await slot.release();
  });

  it('answers 409 EXECUTOR_JOB_NOT_READY while the job runs', async () => {
    const app = await buildTestApp({ EXPORT_SHUTDOWN_TIMEOUT_S: '0' });
    const job = await runningJob(app);
    const response = await download(app, job);
    expect(response.statusCode).toBe(409);
    expect(response.json().message).toContain(' is running;');
  });

  it('answers 409 EXECUTOR_JOB_NOT_READY for a cancelled job', async () => {
    const app = await buildTestApp({ EXPORT_MAX_CONCURRENT: '1' });
    const slot = await holdAnExportSlot(app);
    const job = await submitJob(app, { format: 'csv', data: trades });
    await app.inject({ method: 'DELETE', url: job.links.self });
    const response = await download(app, job);
    expect(response.statusCode).toBe(409);
    expect(response.json().message).toContain(' is cancelled;');
    await slot.release();
  });

  describe('If-None-Match', () => {
    it.each([
      ['the ETag', (tag: string) => tag],
      ['the weak form of the ETag', (tag: string) => `W/${tag}`],
      ['*', () => '*'],
      ['a list holding the ETag', (tag: string) => `"other", ${tag}`],
    ])('answers 304 with the ETag and no body for %s', async (_name, headerOf) => {
      const app = await buildTestApp();
      const job = await finishedJob(app);
      const entityTag = `"${job.sha256}"`;
      const response = await download(app, job, { 'if-none-match': headerOf(entityTag) });
      expect(response.statusCode).toBe(304);
      expect(response.headers.etag).toBe(entityTag);
      expect(response.body).toBe('');
    });

    it('answers 200 with the file for another ETag', async () => {
      const app = await buildTestApp();
      const job = await finishedJob(app);
      const response = await download(app, job, { 'if-none-match': `"${'0'.repeat(64)}"` });
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe(tradesCsv);
    });
  });

  describe('Range', () => {
    it.each([
      ['bytes=0-9', 0, 9],
      ['bytes=5-', 5, size - 1],
      ['bytes=-7', size - 7, size - 1],
      ['bytes=10-100000', 10, size - 1],
      ['bytes=-100000', 0, size - 1],
    ])(
      'answers 206 with Content-Range and the bytes asked for by %s',
      async (range, start, end) => {
        const app = await buildTestApp();
        const job = await finishedJob(app);
        const response = await download(app, job, { range });
        expect(response.statusCode).toBe(206);
        expect(response.headers['content-range']).toBe(`bytes ${start}-${end}/${size}`);
        expect(response.headers['content-length']).toBe(String(end - start + 1));
        expect(response.headers.etag).toBe(`"${job.sha256}"`);
        expect(response.body).toBe(tradesCsv.slice(start, end + 1));
      },
    );

    it('answers 416 with Content-Range bytes */size for a range past the end', async () => {
      const app = await buildTestApp();
      const job = await finishedJob(app);
      const response = await download(app, job, { range: `bytes=${size}-` });
      expect(response.statusCode).toBe(416);
      expect(response.headers['content-range']).toBe(`bytes */${size}`);
      expect(response.json()).toMatchObject({
        statusCode: 416,
        code: 'EXECUTOR_RANGE_NOT_SATISFIABLE',
        error: 'Range Not Satisfiable',
      });
    });

    it.each([
      ['several ranges', 'bytes=0-1,4-5'],
      ['another unit', 'items=0-1'],
      ['a malformed range', 'bytes=abc'],
      ['a range that ends before it starts', 'bytes=9-2'],
    ])('answers 200 with the whole file for %s', async (_name, range) => {
      const app = await buildTestApp();
      const job = await finishedJob(app);
      const response = await download(app, job, { range });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-range']).toBeUndefined();
      expect(response.body).toBe(tradesCsv);
    });

    it('answers 206 when If-Range holds the ETag', async () => {
      const app = await buildTestApp();
      const job = await finishedJob(app);
      const response = await download(app, job, {
        range: 'bytes=0-1',
        'if-range': `"${job.sha256}"`,
      });
      expect(response.statusCode).toBe(206);
      expect(response.body).toBe(tradesCsv.slice(0, 2));
    });

    it.each([
      ['another ETag', `"${'0'.repeat(64)}"`],
      ['a date', 'Wed, 21 Oct 2015 07:28:00 GMT'],
    ])('answers 200 with the whole file when If-Range holds %s', async (_name, ifRange) => {
      const app = await buildTestApp();
      const job = await finishedJob(app);
      const response = await download(app, job, { range: 'bytes=0-1', 'if-range': ifRange });
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe(tradesCsv);
    });

    it('answers 200 rather than 416 for a range past the end once If-Range does not match', async () => {
      const app = await buildTestApp();
      const job = await finishedJob(app);
      const response = await download(app, job, {
        range: `bytes=${size}-`,
        'if-range': '"stale"',
      });
      expect(response.statusCode).toBe(200);
    });
  });
});
