import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../src/jobs/job-record.js';
import { buildTestAppInFolder, buildTestAppWithFolder } from './build-test-app.js';
import {
  finishedJob,
  holdAnExportSlot,
  jobFiles,
  jobFolders,
  longJobRows,
  ndjsonOf,
  runningJob,
  sampleRows,
  sha256Of,
  submitJob,
  trades,
  tradesCsv,
  waitForJobStatus,
} from './job-helpers.js';

const jobPath = (exportDirectory: string, id: string, name: string) =>
  join(exportDirectory, 'jobs', id, name);

async function readRecord(exportDirectory: string, id: string): Promise<JobRecord> {
  return JSON.parse(await readFile(jobPath(exportDirectory, id, 'job.json'), 'utf8'));
}

async function writeRecord(exportDirectory: string, record: JobRecord): Promise<void> {
  await mkdir(join(exportDirectory, 'jobs', record.id), { recursive: true });
  await writeFile(jobPath(exportDirectory, record.id, 'job.json'), JSON.stringify(record));
}

/** A folder one app has used and closed, holding one done job of `trades`. */
async function folderWithADoneJob() {
  const { app, exportDirectory } = await buildTestAppWithFolder();
  const job = await finishedJob(app);
  await app.close();
  return { exportDirectory, job, record: await readRecord(exportDirectory, job.id) };
}

/** A queued job as a process that died before running it leaves it: its record and input. */
async function writeQueuedJob(
  exportDirectory: string,
  template: JobRecord,
  createdAt: string,
): Promise<string> {
  const id = randomUUID();
  await writeRecord(exportDirectory, {
    ...template,
    id,
    status: 'queued',
    createdAt,
    startedAt: null,
    finishedAt: null,
    rows: null,
    bytes: null,
    sha256: null,
  });
  await writeFile(jobPath(exportDirectory, id, 'input.ndjson'), ndjsonOf(trades));
  return id;
}

describe('an executor started on the jobs folder of an earlier one', () => {
  it('keeps a done job with the same sha256, and serves the same file', async () => {
    const { exportDirectory, job } = await folderWithADoneJob();
    const { app } = await buildTestAppInFolder(exportDirectory);
    const recovered = await app.inject({ method: 'GET', url: job.links.self });
    expect(recovered.json()).toEqual(job);
    const download = await app.inject({ method: 'GET', url: job.links.download });
    expect(download.body).toBe(tradesCsv);
    expect(sha256Of(download.rawPayload)).toBe(job.sha256);
  });

  it('fails a job that was running when the process stopped with EXECUTOR_INTERRUPTED, removing its files', async () => {
    const { exportDirectory, job, record } = await folderWithADoneJob();
    await writeRecord(exportDirectory, {
      ...record,
      status: 'running',
      finishedAt: null,
      rows: null,
      bytes: null,
      sha256: null,
    });
    await writeFile(jobPath(exportDirectory, job.id, 'input.ndjson'), ndjsonOf(trades));
    // Mid-export: no manifest and no file yet, only the export's temp file.
    await rm(jobPath(exportDirectory, job.id, 'manifest.json'));
    await rm(jobPath(exportDirectory, job.id, 'export.csv'));
    await writeFile(jobPath(exportDirectory, job.id, `.export.csv.${randomUUID()}.partial`), 'id,');
    const { app } = await buildTestAppInFolder(exportDirectory);
    const recovered = await app.inject({ method: 'GET', url: job.links.self });
    expect(recovered.json()).toMatchObject({
      status: 'failed',
      rows: null,
      bytes: null,
      sha256: null,
      finishedAt: expect.any(String),
      error: {
        code: 'EXECUTOR_INTERRUPTED',
        message: 'the executor stopped while this job ran; submit it again',
      },
    });
    expect(await jobFiles(exportDirectory, job.id)).toEqual(['job.json']);
    expect((await readRecord(exportDirectory, job.id)).status).toBe('failed');
    const download = await app.inject({ method: 'GET', url: job.links.download });
    expect(download.statusCode).toBe(409);
  });

  it('finishes a job whose file and manifest were committed before the process stopped', async () => {
    const { exportDirectory, job, record } = await folderWithADoneJob();
    // Died after the manifest, before the record said done: the input is still there too.
    await writeRecord(exportDirectory, {
      ...record,
      status: 'running',
      finishedAt: null,
      rows: null,
      bytes: null,
      sha256: null,
    });
    await writeFile(jobPath(exportDirectory, job.id, 'input.ndjson'), ndjsonOf(trades));
    const { app } = await buildTestAppInFolder(exportDirectory);
    const recovered = await app.inject({ method: 'GET', url: job.links.self });
    expect(recovered.json()).toEqual(job);
    expect(await jobFiles(exportDirectory, job.id)).toEqual([
      'export.csv',
      'job.json',
      'manifest.json',
    ]);
    const download = await app.inject({ method: 'GET', url: job.links.download });
    expect(sha256Of(download.rawPayload)).toBe(job.sha256);
  });

  it('fails a done job whose manifest disagrees with its record with EXECUTOR_ARTIFACT_LOST', async () => {
    const { exportDirectory, job } = await folderWithADoneJob();
    await rm(jobPath(exportDirectory, job.id, 'manifest.json'));
    const { app } = await buildTestAppInFolder(exportDirectory);
    const recovered = await app.inject({ method: 'GET', url: job.links.self });
    expect(recovered.json()).toMatchObject({
      status: 'failed',
      error: { code: 'EXECUTOR_ARTIFACT_LOST' },
    });
    expect(await jobFiles(exportDirectory, job.id)).toEqual(['job.json']);
  });

  it('runs the jobs that were still queued when the earlier executor closed, as they were asked for', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder({
      EXPORT_MAX_CONCURRENT: '1',
      EXPORT_SHUTDOWN_TIMEOUT_S: '0',
    });
    const slot = await holdAnExportSlot(app);
    const payload = { format: 'csv', data: trades, csvProfile: 'rfc4180' };
    const queued = [await submitJob(app, payload), await submitJob(app, payload)];
    await app.close();
    await slot.release();
    for (const job of queued) {
      expect((await readRecord(exportDirectory, job.id)).status).toBe('queued');
      expect(await jobFiles(exportDirectory, job.id)).toEqual(['input.ndjson', 'job.json']);
    }
    const { app: restarted } = await buildTestAppInFolder(exportDirectory);
    for (const job of queued) {
      await waitForJobStatus(restarted, job.id, ['done']);
      const download = await restarted.inject({ method: 'GET', url: job.links.download });
      expect(download.body).toBe(tradesCsv);
    }
  });

  it('runs again from the start a job that a shutdown stopped while it ran', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder({
      EXPORT_SHUTDOWN_TIMEOUT_S: '0',
    });
    const job = await runningJob(app, { format: 'csv' });
    await app.close();
    expect(await readRecord(exportDirectory, job.id)).toMatchObject({
      status: 'queued',
      startedAt: null,
    });
    expect(await jobFiles(exportDirectory, job.id)).toEqual(['input.ndjson', 'job.json']);
    const { app: restarted } = await buildTestAppInFolder(exportDirectory);
    const done = await waitForJobStatus(restarted, job.id, ['done'], { timeoutMs: 15_000 });
    expect(done.rows).toBe(longJobRows);
    // Two runs of a 100,000-row job and a restart: past vitest's 5 s on a loaded machine.
  }, 20_000);

  it('cancels a recovered job that still waits for room', async () => {
    const { exportDirectory, record } = await folderWithADoneJob();
    const first = await writeQueuedJob(
      exportDirectory,
      { ...record, format: 'pdf' },
      '2030-01-01T00:00:01.000Z',
    );
    await writeFile(
      jobPath(exportDirectory, first, 'input.ndjson'),
      ndjsonOf(sampleRows(longJobRows)),
    );
    const waiting = await writeQueuedJob(exportDirectory, record, '2030-01-01T00:00:02.000Z');
    const { app } = await buildTestAppInFolder(exportDirectory, {
      EXPORT_MAX_CONCURRENT: '1',
      EXPORT_MAX_QUEUE: '0',
      EXPORT_SHUTDOWN_TIMEOUT_S: '0',
    });
    await waitForJobStatus(app, first, ['running']);
    const response = await app.inject({ method: 'DELETE', url: `/export/jobs/${waiting}` });
    expect(response.json()).toMatchObject({ id: waiting, status: 'cancelled', startedAt: null });
    expect(await jobFiles(exportDirectory, waiting)).toEqual(['job.json']);
    await app.inject({ method: 'DELETE', url: `/export/jobs/${first}` });
    expect((await app.inject({ method: 'GET', url: '/export/status' })).json().jobs).toMatchObject({
      queued: 0,
      running: 0,
      cancelled: 2,
    });
  });

  it('runs every queued job it finds, one after another, even with no room in the queue', async () => {
    const { exportDirectory, record } = await folderWithADoneJob();
    const ids: string[] = [];
    for (let second = 1; second <= 3; second += 1) {
      ids.push(await writeQueuedJob(exportDirectory, record, `2030-01-01T00:00:0${second}.000Z`));
    }
    const { app } = await buildTestAppInFolder(exportDirectory, {
      EXPORT_MAX_CONCURRENT: '1',
      EXPORT_MAX_QUEUE: '0',
    });
    for (const id of ids) {
      const done = await waitForJobStatus(app, id, ['done']);
      expect(done.sha256).toBe(sha256Of(tradesCsv));
    }
  });

  it('fails a queued job whose input is gone with EXECUTOR_INTERRUPTED', async () => {
    const { exportDirectory, record } = await folderWithADoneJob();
    const id = await writeQueuedJob(exportDirectory, record, record.createdAt);
    await rm(jobPath(exportDirectory, id, 'input.ndjson'));
    const { app } = await buildTestAppInFolder(exportDirectory);
    const recovered = await app.inject({ method: 'GET', url: `/export/jobs/${id}` });
    expect(recovered.json()).toMatchObject({
      status: 'failed',
      error: { code: 'EXECUTOR_INTERRUPTED' },
    });
  });

  it.each([
    ['deleted', (path: string) => rm(path)],
    ['cut short', (path: string) => truncate(path, 3)],
  ])('fails a done job whose file was %s with EXECUTOR_ARTIFACT_LOST', async (_name, damage) => {
    const { exportDirectory, job } = await folderWithADoneJob();
    await damage(jobPath(exportDirectory, job.id, 'export.csv'));
    const { app } = await buildTestAppInFolder(exportDirectory);
    const recovered = await app.inject({ method: 'GET', url: job.links.self });
    expect(recovered.json()).toMatchObject({
      status: 'failed',
      sha256: null,
      error: {
        code: 'EXECUTOR_ARTIFACT_LOST',
        message: 'the finished file of this job is missing or damaged; submit it again',
      },
    });
    expect(await jobFiles(exportDirectory, job.id)).toEqual(['job.json']);
    const download = await app.inject({ method: 'GET', url: job.links.download });
    expect(download.statusCode).toBe(409);
    expect(download.json().code).toBe('EXECUTOR_JOB_NOT_READY');
  });

  it('removes the temp files a killed process left, in the job folders and beside them', async () => {
    const { exportDirectory, job } = await folderWithADoneJob();
    const strays = [
      jobPath(exportDirectory, job.id, `.export.csv.${randomUUID()}.partial`),
      jobPath(exportDirectory, job.id, `.job.json.${randomUUID()}.partial`),
      join(exportDirectory, `.${randomUUID()}.csv.${randomUUID()}.partial`),
    ];
    for (const path of strays) await writeFile(path, 'half a file');
    const { app } = await buildTestAppInFolder(exportDirectory);
    expect(await jobFiles(exportDirectory, job.id)).toEqual([
      'export.csv',
      'job.json',
      'manifest.json',
    ]);
    expect(await readdir(exportDirectory)).toEqual(['jobs']);
    expect((await app.inject({ method: 'GET', url: job.links.download })).body).toBe(tradesCsv);
  });

  it.each([
    ['no record', async () => {}],
    ['an unreadable record', (folder: string) => writeFile(join(folder, 'job.json'), '{"id":')],
    [
      'the record of another job',
      (folder: string, record: JobRecord) =>
        writeFile(join(folder, 'job.json'), JSON.stringify(record)),
    ],
  ])(
    'removes a job folder with %s: a submission never accepted',
    async (_name, writeRecordFile) => {
      const { exportDirectory, job, record } = await folderWithADoneJob();
      const id = randomUUID();
      const folder = join(exportDirectory, 'jobs', id);
      await mkdir(folder);
      await writeFile(join(folder, 'input.ndjson'), ndjsonOf(trades));
      await writeRecordFile(folder, record);
      const { app } = await buildTestAppInFolder(exportDirectory);
      expect(await jobFolders(exportDirectory)).toEqual([job.id]);
      const response = await app.inject({ method: 'GET', url: `/export/jobs/${id}` });
      expect(response.statusCode).toBe(404);
      expect((await app.inject({ method: 'GET', url: job.links.self })).json().status).toBe('done');
    },
  );

  it('keeps failed and cancelled jobs as they were', async () => {
    const { exportDirectory, record } = await folderWithADoneJob();
    const finished = { finishedAt: record.finishedAt, rows: null, bytes: null, sha256: null };
    const failed: JobRecord = {
      ...record,
      ...finished,
      id: randomUUID(),
      status: 'failed',
      error: { code: 'EXPORT_INVALID_RECORD', message: 'line 1 is not valid JSON' },
    };
    const cancelled: JobRecord = { ...record, ...finished, id: randomUUID(), status: 'cancelled' };
    await writeRecord(exportDirectory, failed);
    await writeRecord(exportDirectory, cancelled);
    const { app } = await buildTestAppInFolder(exportDirectory);
    for (const { id, status, error } of [failed, cancelled]) {
      const response = await app.inject({ method: 'GET', url: `/export/jobs/${id}` });
      expect(response.json()).toMatchObject({ status, error });
      expect(await readRecord(exportDirectory, id)).toEqual(
        status === 'failed' ? failed : cancelled,
      );
    }
  });

  it('counts the recovered jobs on /export/status', async () => {
    const { exportDirectory, record } = await folderWithADoneJob();
    await writeRecord(exportDirectory, { ...record, id: randomUUID(), status: 'running' });
    const { app } = await buildTestAppInFolder(exportDirectory);
    const status = await app.inject({ method: 'GET', url: '/export/status' });
    expect(status.json().jobs).toEqual({
      queued: 0,
      running: 0,
      done: 1,
      failed: 1,
      cancelled: 0,
    });
  });
});
