import { describe, expect, it } from 'vitest';
import { buildTestApp, buildTestAppWithFolder } from './build-test-app.js';
import {
  expectExportCounts,
  exportStatus,
  finishedJob,
  holdAnExportSlot,
  type JobView,
  jobFiles,
  jobFolders,
  longJobRows,
  runningJob,
  sha256Of,
  submitJob,
  trades,
  waitForJobFiles,
  waitForJobStatus,
  waitUntil,
} from './job-helpers.js';
import { replaceJobInput } from './s3-test-objects.js';
import { jobRecordFiles } from './test-backend.js';

const unknownIds = [
  ['an unknown id', '00000000-0000-4000-8000-000000000000'],
  ['a path out of the jobs folder', encodeURIComponent('../../etc/passwd')],
  ['a dot', '.'],
];

describe('GET /export/jobs/:id', () => {
  it.each(unknownIds)('answers 404 EXECUTOR_JOB_NOT_FOUND for %s', async (_name, id) => {
    const app = await buildTestApp();
    await finishedJob(app);
    const response = await app.inject({ method: 'GET', url: `/export/jobs/${id}` });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({
      statusCode: 404,
      code: 'EXECUTOR_JOB_NOT_FOUND',
      error: 'Not Found',
    });
  });

  it('shows the rows written so far while the job runs', async () => {
    const app = await buildTestApp({ EXPORT_SHUTDOWN_TIMEOUT_S: '0' });
    const job = await runningJob(app);
    expect(job.startedAt).toEqual(expect.any(String));
    let seen: JobView | undefined;
    await waitUntil('the job reports progress', async () => {
      seen = (await app.inject({ method: 'GET', url: job.links.self })).json<JobView>();
      return seen.status !== 'running' || seen.progress.rows > 0;
    });
    expect(seen).toMatchObject({
      status: 'running',
      rows: null,
      sha256: null,
      finishedAt: null,
      progress: { totalRows: longJobRows },
    });
    expect(seen?.progress.rows).toBeLessThan(longJobRows);
  });

  it('describes a done job with the rows, bytes and sha256 of the file it serves', async () => {
    const app = await buildTestApp();
    const job = await finishedJob(app);
    const download = await app.inject({ method: 'GET', url: job.links.download });
    expect(job).toMatchObject({
      status: 'done',
      rows: 2,
      bytes: download.rawPayload.length,
      sha256: sha256Of(download.rawPayload),
      progress: { rows: 2, totalRows: 2 },
      error: null,
    });
    expect(Date.parse(job.startedAt ?? '')).toBeLessThanOrEqual(Date.parse(job.finishedAt ?? ''));
    expect(job.durationMs).toBe(Date.parse(job.finishedAt ?? '') - Date.parse(job.startedAt ?? ''));
  });

  it('describes a job that failed with its error code and message', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder({ EXPORT_MAX_CONCURRENT: '1' });
    const slot = await holdAnExportSlot(app);
    const job = await submitJob(app, { format: 'csv', data: trades });
    // The spooled input is damaged before the job gets to read it.
    await replaceJobInput(exportDirectory, job.id, 'not json\n');
    await slot.release();
    const failed = await waitForJobStatus(app, job.id, ['failed']);
    expect(failed).toMatchObject({
      rows: null,
      sha256: null,
      error: { code: 'EXPORT_INVALID_RECORD', message: expect.stringMatching(/^line 1 /) },
    });
    expect(failed.finishedAt).toEqual(expect.any(String));
    await waitForJobFiles(exportDirectory, job.id, jobRecordFiles);
  });
});

describe('DELETE /export/jobs/:id', () => {
  it('cancels a queued job, which then never runs', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder({ EXPORT_MAX_CONCURRENT: '1' });
    const slot = await holdAnExportSlot(app);
    const job = await submitJob(app, { format: 'csv', data: trades });
    await expectExportCounts(app, { running: 1, queued: 1 });
    const response = await app.inject({ method: 'DELETE', url: job.links.self });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      id: job.id,
      status: 'cancelled',
      startedAt: null,
      finishedAt: expect.any(String),
      error: null,
    });
    await expectExportCounts(app, { running: 1, queued: 0 });
    await slot.release();
    expect((await app.inject({ method: 'GET', url: job.links.self })).json().status).toBe(
      'cancelled',
    );
    expect(await jobFiles(exportDirectory, job.id)).toEqual(jobRecordFiles);
  });

  it('cancels a running job, leaving no temp file, and frees its slot', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder({
      EXPORT_SHUTDOWN_TIMEOUT_S: '0',
    });
    const job = await runningJob(app);
    const response = await app.inject({ method: 'DELETE', url: job.links.self });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: job.id, status: 'cancelled', error: null });
    expect(await jobFiles(exportDirectory, job.id)).toEqual(jobRecordFiles);
    await expectExportCounts(app, { running: 0, queued: 0 });
  });

  it('answers cancelled to two DELETEs of one job sent at once', async () => {
    const app = await buildTestApp({ EXPORT_MAX_CONCURRENT: '1' });
    const slot = await holdAnExportSlot(app);
    const job = await submitJob(app, { format: 'csv', data: trades });
    const answers = await Promise.all([
      app.inject({ method: 'DELETE', url: job.links.self }),
      app.inject({ method: 'DELETE', url: job.links.self }),
    ]);
    expect(answers.map((answer) => [answer.statusCode, answer.json().status])).toEqual([
      [200, 'cancelled'],
      [200, 'cancelled'],
    ]);
    await slot.release();
  });

  it('deletes a done job with its folder, and then answers 404 for it', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder();
    const job = await finishedJob(app);
    const response = await app.inject({ method: 'DELETE', url: job.links.self });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ id: job.id, status: 'deleted' });
    expect(await jobFolders(exportDirectory)).toEqual([]);
    for (const url of [job.links.self, job.links.download]) {
      const answer = await app.inject({ method: 'GET', url });
      expect(answer.statusCode).toBe(404);
      expect(answer.json().code).toBe('EXECUTOR_JOB_NOT_FOUND');
    }
    expect((await app.inject({ method: 'DELETE', url: job.links.self })).statusCode).toBe(404);
  });

  it('deletes a cancelled job on a second DELETE', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder({ EXPORT_MAX_CONCURRENT: '1' });
    const slot = await holdAnExportSlot(app);
    const job = await submitJob(app, { format: 'csv', data: trades });
    await app.inject({ method: 'DELETE', url: job.links.self });
    const second = await app.inject({ method: 'DELETE', url: job.links.self });
    expect(second.json()).toEqual({ id: job.id, status: 'deleted' });
    expect(await jobFolders(exportDirectory)).toEqual([]);
    await slot.release();
  });

  it.each(unknownIds)('answers 404 EXECUTOR_JOB_NOT_FOUND for %s', async (_name, id) => {
    const app = await buildTestApp();
    const response = await app.inject({ method: 'DELETE', url: `/export/jobs/${id}` });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('EXECUTOR_JOB_NOT_FOUND');
  });
});

describe('GET /export/status', () => {
  it('counts the jobs by status', async () => {
    const app = await buildTestApp({ EXPORT_MAX_CONCURRENT: '1' });
    await finishedJob(app);
    await finishedJob(app);
    const slot = await holdAnExportSlot(app);
    await submitJob(app, { format: 'csv', data: trades });
    const cancelled = await submitJob(app, { format: 'csv', data: trades });
    await app.inject({ method: 'DELETE', url: cancelled.links.self });
    expect((await exportStatus(app)).jobs).toEqual({
      queued: 1,
      running: 0,
      done: 2,
      failed: 0,
      cancelled: 1,
    });
    await slot.release();
  });
});
