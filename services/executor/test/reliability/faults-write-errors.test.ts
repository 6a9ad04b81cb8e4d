import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { httpJson } from '../real-server/http-json.js';
import { getJob, submitNdjsonJob, waitUntilJobSettles } from '../real-server/job-client.js';
import { jobFolderFiles, partialFilesUnder } from '../real-server/job-folders.js';
import { sampleRecords } from '../real-server/sample-records.js';
import { exportFiles, startExecutor } from '../real-server/spawn-executor.js';
import { waitUntilIdle } from '../real-server/wait-until.js';
import { waitForLogMessage, waitForLogText } from './faults-logs.js';
import { metricSum } from './faults-metrics.js';

// Fault: writing the export fails. The export fails with EXPORT_WRITE_FAILED, counted under
// reason="write", keeps no partial file, and the service goes on serving the others.

// Files the process writes may not grow past this (ulimit -f): the 100-row NDJSON spool (11 KB)
// and the job records (1 KB) fit, a 100-row PDF (21 KB, most of it the embedded font) and a
// 1,000-row CSV (57 KB) do not.
const fileSizeLimitKib = 16;
const genericMessage = 'the executor failed to complete the request; the error is logged';
const waitMs = 30_000;

describe('writes that hit the file-size limit (EFBIG)', () => {
  it('fail an /export/run with a generic 500 EXPORT_WRITE_FAILED, counted as reason="write", keeping no file', async () => {
    const executor = await startExecutor({}, { fileSizeLimitKib });
    const { url, exportDirectory } = executor;

    const answer = await httpJson(url, '/export/run', {
      body: { format: 'csv', data: sampleRecords(1_000) },
    });

    expect(answer.status).toBe(500);
    expect(answer.json).toEqual({
      statusCode: 500,
      code: 'EXPORT_WRITE_FAILED',
      error: 'Internal Server Error',
      message: genericMessage,
    });
    expect(exportFiles(exportDirectory)).toEqual([]);
    expect(partialFilesUnder(exportDirectory)).toEqual([]);
    expect(await metricSum(url, 'export_fail_total', { format: 'csv', reason: 'write' })).toBe(1);
    // The cause is in the log, not the answer.
    await waitForLogText(executor, 'EFBIG');
  });

  it('fail a job with EXPORT_WRITE_FAILED, counted as reason="write", keeping only its record', async () => {
    const executor = await startExecutor({}, { fileSizeLimitKib });
    const { url, exportDirectory } = executor;

    const accepted = await submitNdjsonJob(url, 'format=pdf', 100);
    const job = await waitUntilJobSettles(url, accepted.id, { timeoutMs: waitMs });

    expect(job).toMatchObject({
      status: 'failed',
      rows: null,
      bytes: null,
      sha256: null,
      error: { code: 'EXPORT_WRITE_FAILED', message: genericMessage },
    });
    expect(jobFolderFiles(exportDirectory, job.id)).toEqual(['job.json']);
    const download = await httpJson(url, job.links.download);
    expect(download.status).toBe(409);
    expect(await metricSum(url, 'export_fail_total', { format: 'pdf', reason: 'write' })).toBe(1);
  });

  it('keep the service serving: small exports, runs and jobs, still succeed afterwards', async () => {
    const executor = await startExecutor({}, { fileSizeLimitKib });
    const { url, exportDirectory } = executor;
    const tooLarge = await httpJson(url, '/export/run', {
      body: { format: 'csv', data: sampleRecords(1_000) },
    });
    const failedJob = await submitNdjsonJob(url, 'format=pdf', 100);
    await waitUntilJobSettles(url, failedJob.id, { timeoutMs: waitMs });
    expect(tooLarge.status).toBe(500);

    const small = await httpJson(url, '/export/run', {
      body: { format: 'csv', data: sampleRecords(10) },
    });
    const smallJob = await submitNdjsonJob(url, 'format=csv', 10);
    const done = await waitUntilJobSettles(url, smallJob.id, { timeoutMs: waitMs });

    expect(small.status).toBe(200);
    const { filename } = (small.json as { result: { filename: string } }).result;
    expect(exportFiles(exportDirectory)).toEqual([filename]);
    expect(done).toMatchObject({ status: 'done', rows: 10 });
    expect(executor.child.exitCode).toBeNull();
    expect(await waitUntilIdle(url)).toMatchObject({ running: 0, queued: 0 });
    expect(partialFilesUnder(exportDirectory)).toEqual([]);
  });

  it('fail a job whose final record cannot be written: shown failed, never left running, failed after a restart too', async () => {
    // 1 KiB: the queued record (with a 480-character title) fits, the failed one does not.
    const executor = await startExecutor({}, { fileSizeLimitKib: 1 });
    const { url, exportDirectory } = executor;
    const accepted = await submitNdjsonJob(url, `format=pdf&title=${'T'.repeat(480)}`, 5);

    const job = await waitUntilJobSettles(url, accepted.id, { timeoutMs: waitMs });

    expect(job).toMatchObject({ status: 'failed', error: { code: 'EXPORT_WRITE_FAILED' } });
    await waitForLogMessage(executor, 'export job could not be recorded');
    expect(jobFolderFiles(exportDirectory, job.id)).toEqual(['job.json']);
    const small = await httpJson(url, '/export/run', {
      body: { format: 'csv', data: sampleRecords(3) },
    });
    expect(small.status).toBe(200);
    expect(await executor.stop('SIGKILL')).toBeNull();
    const restarted = await startExecutor({}, { exportDirectory });
    expect(await getJob(restarted.url, job.id)).toMatchObject({
      status: 'failed',
      error: { code: 'EXECUTOR_INTERRUPTED' },
    });
  });

  it('refuse a job whose upload cannot be spooled with a generic 500 EXPORT_WRITE_FAILED, keeping no job folder', async () => {
    const executor = await startExecutor({}, { fileSizeLimitKib });
    const { url, exportDirectory } = executor;

    const answer = await httpJson(url, '/export/jobs', {
      body: { format: 'csv', data: sampleRecords(1_000) },
    });

    expect(answer.status).toBe(500);
    // Not the file system's own code (EFBIG): a 500 answers with a code of ours.
    expect(answer.json).toEqual({
      statusCode: 500,
      code: 'EXPORT_WRITE_FAILED',
      error: 'Internal Server Error',
      message: genericMessage,
    });
    expect(readdirSync(join(exportDirectory, 'jobs'))).toEqual([]);
    expect((await httpJson(url, '/export/jobs')).json).toEqual({ jobs: [], nextCursor: null });
  });
});

describe('an export folder that cannot be written to', () => {
  it('fails an /export/run with EXPORT_WRITE_FAILED when the folder is replaced by a file, and serves again once it is back', async () => {
    // chmod does not stop root, which CI runs as: a file where the folder was stops everyone.
    const executor = await startExecutor();
    const { url, exportDirectory } = executor;
    const kept = `${exportDirectory}.kept`;
    renameSync(exportDirectory, kept);
    writeFileSync(exportDirectory, 'not a folder');

    let answer: Awaited<ReturnType<typeof httpJson>>;
    try {
      answer = await httpJson(url, '/export/run', {
        body: { format: 'csv', data: sampleRecords(10) },
      });
    } finally {
      rmSync(exportDirectory, { force: true });
      renameSync(kept, exportDirectory);
    }

    expect(answer.status).toBe(500);
    expect(answer.json).toMatchObject({ code: 'EXPORT_WRITE_FAILED', message: genericMessage });
    expect(await metricSum(url, 'export_fail_total', { reason: 'write' })).toBe(1);
    const again = await httpJson(url, '/export/run', {
      body: { format: 'csv', data: sampleRecords(10) },
    });
    expect(again.status).toBe(200);
    expect(partialFilesUnder(exportDirectory)).toEqual([]);
  });

  it.skipIf(process.getuid?.() === 0)(
    'fails an /export/run with EXPORT_WRITE_FAILED when the folder is read-only (not as root)',
    async () => {
      const executor = await startExecutor();
      const { url, exportDirectory } = executor;
      const { chmodSync } = await import('node:fs');
      chmodSync(exportDirectory, 0o555);
      try {
        const answer = await httpJson(url, '/export/run', {
          body: { format: 'csv', data: sampleRecords(10) },
        });
        expect(answer.status).toBe(500);
        expect(answer.json).toMatchObject({ code: 'EXPORT_WRITE_FAILED' });
      } finally {
        chmodSync(exportDirectory, 0o755);
      }
      expect(exportFiles(exportDirectory)).toEqual([]);
      mkdirSync(join(exportDirectory, 'jobs'), { recursive: true });
    },
  );
});
