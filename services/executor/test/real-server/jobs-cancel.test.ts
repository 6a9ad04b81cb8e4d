import { describe, expect, it } from 'vitest';
import { httpJson } from './http-json.js';
import {
  getJob,
  type JobView,
  submitNdjsonJob,
  waitUntilJobExports,
  waitUntilJobSettles,
} from './job-client.js';
import { jobFolderFiles } from './job-folders.js';
import { startExecutor } from './spawn-executor.js';
import { exportStatus, waitUntilIdle } from './wait-until.js';

// One slot: a second job waits for the first.
const environment = { EXPORT_MAX_CONCURRENT: '1' };
// A PDF of this many rows takes about 6 s to export on an idle 2-core VM (3 s to spool), so it
// is still exporting when the test cancels it, right after it is seen writing rows.
const longJobRows = 300_000;
const shortJobRows = 1_000;
const waitMs = 60_000;
const testTimeoutMs = 120_000;

async function cancel(url: string, id: string) {
  return httpJson(url, `/export/jobs/${id}`, { method: 'DELETE', timeoutMs: waitMs });
}

/** A long PDF job that is exporting, and a short CSV job queued behind it. */
async function startLongJobWithOneQueued(url: string): Promise<[JobView, JobView]> {
  const long = await submitNdjsonJob(url, 'format=pdf', longJobRows);
  const queued = await submitNdjsonJob(url, 'format=csv', shortJobRows);
  await waitUntilJobExports(url, long.id, { timeoutMs: waitMs });
  expect(await getJob(url, queued.id)).toMatchObject({ status: 'queued', startedAt: null });
  return [long, queued];
}

describe('cancelling an export job over HTTP', () => {
  it(
    'answers the DELETE of a running job with the job cancelled, once nothing of its files is left but its record',
    async () => {
      const executor = await startExecutor(environment);
      const [long] = await startLongJobWithOneQueued(executor.url);

      const answer = await cancel(executor.url, long.id);

      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ id: long.id, status: 'cancelled', error: null });
      expect(jobFolderFiles(executor.exportDirectory, long.id)).toEqual(['job.json']);
      expect(await getJob(executor.url, long.id)).toMatchObject({ status: 'cancelled' });
    },
    testTimeoutMs,
  );

  it(
    'frees the slot of a cancelled running job, so the job queued behind it runs to done',
    async () => {
      const executor = await startExecutor(environment);
      const [long, queued] = await startLongJobWithOneQueued(executor.url);
      expect(await exportStatus(executor.url)).toMatchObject({ running: 1, queued: 1 });

      expect((await cancel(executor.url, long.id)).status).toBe(200);

      // The queued job left the queue for the freed slot (it may even have finished by now).
      expect(await exportStatus(executor.url)).toMatchObject({ queued: 0 });
      const next = await waitUntilJobSettles(executor.url, queued.id, { timeoutMs: waitMs });
      expect(next).toMatchObject({ status: 'done', rows: shortJobRows, error: null });
      expect(await waitUntilIdle(executor.url)).toMatchObject({
        running: 0,
        queued: 0,
        jobs: { queued: 0, running: 0, done: 1, failed: 0, cancelled: 1 },
      });
    },
    testTimeoutMs,
  );

  it(
    'never starts a queued job that is cancelled, even once the slot it waited for is free',
    async () => {
      const executor = await startExecutor(environment);
      const [long, queued] = await startLongJobWithOneQueued(executor.url);

      const answer = await cancel(executor.url, queued.id);

      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({
        id: queued.id,
        status: 'cancelled',
        startedAt: null,
        progress: { rows: 0 },
      });
      expect(await exportStatus(executor.url)).toMatchObject({ running: 1, queued: 0 });
      // Free the slot: had the cancelled job stayed in the limiter's queue, it would start now.
      expect((await cancel(executor.url, long.id)).status).toBe(200);
      await waitUntilIdle(executor.url);
      expect(await getJob(executor.url, queued.id)).toMatchObject({
        status: 'cancelled',
        startedAt: null,
        progress: { rows: 0 },
      });
      expect(jobFolderFiles(executor.exportDirectory, queued.id)).toEqual(['job.json']);
      expect(executor.logMessages()).not.toContain('export finished');
    },
    testTimeoutMs,
  );
});
