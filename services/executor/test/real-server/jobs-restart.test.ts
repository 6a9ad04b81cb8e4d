import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { digestDownload } from './digest-download.js';
import { httpJson } from './http-json.js';
import {
  getJob,
  type JobView,
  submitNdjsonJob,
  waitUntilJobExports,
  waitUntilJobSettles,
} from './job-client.js';
import { jobFolderFiles, partialFilesUnder } from './job-folders.js';
import { startNdjsonUpload } from './ndjson-upload.js';
import { ndjsonLines } from './sample-records.js';
import { type ExecutorProcess, startExecutor } from './spawn-executor.js';
import { waitUntil } from './wait-until.js';

// One slot: the long job runs, the others wait behind it.
const environment = { EXPORT_MAX_CONCURRENT: '1' };
// A PDF of this many rows takes about 3 s to export on an idle 2-core VM, so it is still
// exporting when the process is killed, right after the job is seen writing rows.
const longJobRows = 150_000;
const queuedJobs = [
  { query: 'format=csv', rows: 1_000 },
  { query: 'format=pdf', rows: 500 },
  { query: 'format=csv&columns=id,value', rows: 3_000 },
];
const waitMs = 60_000;
const testTimeoutMs = 120_000;

interface KilledWhileRunning {
  /** The new process, on the killed one's export folder. */
  restarted: ExecutorProcess;
  /** Done before the kill, as it was then. */
  doneBefore: JobView;
  /** Exporting when the process was killed. */
  interrupted: JobView;
  /** Queued behind it when the process was killed. */
  queued: JobView[];
}

/**
 * One job done, one exporting and three queued behind it when the process is killed with
 * SIGKILL (no shutdown code runs); then a new process starts on the same export folder.
 */
async function killWhileRunning(): Promise<KilledWhileRunning> {
  const first = await startExecutor(environment);
  const submittedFirst = await submitNdjsonJob(first.url, 'format=csv', 2_000);
  const doneBefore = await waitUntilJobSettles(first.url, submittedFirst.id, { timeoutMs: waitMs });
  expect(doneBefore).toMatchObject({ status: 'done', rows: 2_000 });
  const interrupted = await submitNdjsonJob(first.url, 'format=pdf', longJobRows);
  const queued: JobView[] = [];
  for (const { query, rows } of queuedJobs) {
    queued.push(await submitNdjsonJob(first.url, query, rows));
  }
  await waitUntilJobExports(first.url, interrupted.id, { timeoutMs: waitMs });
  // Killed mid-file: the export's temp file is on disk.
  expect(jobFolderFiles(first.exportDirectory, interrupted.id)).toContainEqual(
    expect.stringMatching(/^\.export\.pdf\..+\.partial$/),
  );

  expect(await first.stop('SIGKILL')).toBeNull();

  const restarted = await startExecutor(environment, { exportDirectory: first.exportDirectory });
  return { restarted, doneBefore, interrupted, queued };
}

function waitUntilNoPartialFiles(exportDirectory: string) {
  return waitUntil(
    'no .partial file under the export folder',
    async () => (partialFilesUnder(exportDirectory).length === 0 ? true : undefined),
    { timeoutMs: 5_000 },
  );
}

describe('restarting the executor on the export folder of one killed with SIGKILL', () => {
  it(
    'fails the job that was running with EXECUTOR_INTERRUPTED, keeping no file of it',
    async () => {
      const { restarted, interrupted } = await killWhileRunning();
      const { url, exportDirectory } = restarted;

      const job = await getJob(url, interrupted.id);

      expect(job).toMatchObject({
        status: 'failed',
        rows: null,
        bytes: null,
        sha256: null,
        error: { code: 'EXECUTOR_INTERRUPTED' },
      });
      const download = await httpJson(url, job.links.download);
      expect(download.status).toBe(409);
      expect(download.json).toMatchObject({ code: 'EXECUTOR_JOB_NOT_READY' });
      expect(jobFolderFiles(exportDirectory, interrupted.id)).toEqual(['job.json']);
    },
    testTimeoutMs,
  );

  it(
    'runs the jobs that were queued to done, each download matching its sha256',
    async () => {
      const { restarted, queued } = await killWhileRunning();
      const { url } = restarted;

      for (const [index, accepted] of queued.entries()) {
        const job = await waitUntilJobSettles(url, accepted.id, { timeoutMs: waitMs });
        expect(job).toMatchObject({ status: 'done', rows: queuedJobs[index]?.rows, error: null });
        const download = await digestDownload(url, job.links.download);
        expect(download.status).toBe(200);
        expect(download.sha256).toBe(job.sha256);
        expect(download.bytes).toBe(job.bytes);
      }
    },
    testTimeoutMs,
  );

  it(
    'leaves no .partial file anywhere under the export folder once the queued jobs are done',
    async () => {
      const { restarted, queued } = await killWhileRunning();
      const { url, exportDirectory } = restarted;

      for (const { id } of queued) {
        expect(await waitUntilJobSettles(url, id, { timeoutMs: waitMs })).toMatchObject({
          status: 'done',
        });
      }

      // A job turns done a moment before its record's temp file is renamed into place.
      await waitUntilNoPartialFiles(exportDirectory);
      expect(partialFilesUnder(exportDirectory)).toEqual([]);
    },
    testTimeoutMs,
  );

  it(
    'still lists and serves a job done before the kill, with the same sha256',
    async () => {
      const { restarted, doneBefore } = await killWhileRunning();
      const { url } = restarted;

      const list = await httpJson(url, '/export/jobs?status=done');
      const job = await getJob(url, doneBefore.id);
      const download = await digestDownload(url, job.links.download);

      expect((list.json as { jobs: JobView[] }).jobs.map(({ id }) => id)).toContain(doneBefore.id);
      expect(job).toMatchObject({ status: 'done', rows: 2_000, sha256: doneBefore.sha256 });
      expect(download.status).toBe(200);
      expect(download.sha256).toBe(doneBefore.sha256);
    },
    testTimeoutMs,
  );

  it(
    'sweeps away the folder of an upload that was still spooling, which was never a job',
    async () => {
      const first = await startExecutor(environment);
      const upload = startNdjsonUpload(first.url, '/export/jobs?format=csv');
      await upload.send(ndjsonLines(1, 1_000));
      // The upload has not ended, so the job has its input being written and no record yet.
      await waitUntil(
        'a job folder holding just the input being spooled',
        async () => {
          const [id, ...others] = readdirSync(join(first.exportDirectory, 'jobs'));
          if (id === undefined || others.length > 0) return undefined;
          const files = jobFolderFiles(first.exportDirectory, id);
          return files.length === 1 && files[0] === 'input.ndjson' ? true : undefined;
        },
        { timeoutMs: 5_000 },
      );

      expect(await first.stop('SIGKILL')).toBeNull();
      const restarted = await startExecutor(environment, {
        exportDirectory: first.exportDirectory,
      });

      expect(readdirSync(join(restarted.exportDirectory, 'jobs'))).toEqual([]);
      const list = await httpJson(restarted.url, '/export/jobs');
      expect(list.json).toEqual({ jobs: [], nextCursor: null });
    },
    testTimeoutMs,
  );
});

describe('restarting the executor on the export folder of one stopped with SIGTERM', () => {
  it(
    'keeps the finished jobs listed, each download matching the sha256 it had',
    async () => {
      const first = await startExecutor(environment);
      const finished: JobView[] = [];
      for (const { query, rows } of queuedJobs) {
        const accepted = await submitNdjsonJob(first.url, query, rows);
        finished.push(await waitUntilJobSettles(first.url, accepted.id, { timeoutMs: waitMs }));
      }
      expect(finished.map(({ status }) => status)).toEqual(['done', 'done', 'done']);

      expect(await first.stop('SIGTERM')).toBe(0);
      const restarted = await startExecutor(environment, {
        exportDirectory: first.exportDirectory,
      });

      const list = await httpJson(restarted.url, '/export/jobs');
      const listed = (list.json as { jobs: JobView[] }).jobs;
      // Newest first.
      expect(listed.map(({ id, status, sha256 }) => ({ id, status, sha256 }))).toEqual(
        finished.map(({ id, status, sha256 }) => ({ id, status, sha256 })).reverse(),
      );
      for (const job of finished) {
        const download = await digestDownload(restarted.url, job.links.download);
        expect(download.status).toBe(200);
        expect(download.sha256).toBe(job.sha256);
      }
    },
    testTimeoutMs,
  );

  it(
    'runs again from the start, to done, a job the shutdown grace period cut short',
    async () => {
      // No grace period: the running export is aborted as soon as the signal comes.
      const stopAtOnce = { ...environment, EXPORT_SHUTDOWN_TIMEOUT_S: '0' };
      const first = await startExecutor(stopAtOnce);
      const accepted = await submitNdjsonJob(first.url, 'format=pdf', longJobRows);
      await waitUntilJobExports(first.url, accepted.id, { timeoutMs: waitMs });

      expect(await first.stop('SIGTERM')).toBe(0);
      expect(jobFolderFiles(first.exportDirectory, accepted.id)).toEqual([
        'input.ndjson',
        'job.json',
      ]);
      const restarted = await startExecutor(stopAtOnce, { exportDirectory: first.exportDirectory });

      const job = await waitUntilJobSettles(restarted.url, accepted.id, { timeoutMs: waitMs });
      expect(job).toMatchObject({ status: 'done', rows: longJobRows, error: null });
      const download = await digestDownload(restarted.url, job.links.download);
      expect(download.sha256).toBe(job.sha256);
    },
    testTimeoutMs,
  );
});
