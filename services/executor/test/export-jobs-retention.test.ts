import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { EmbeddedJobQueue } from '../src/embedded/create-embedded-job-queue.js';
import { buildTestAppWithFolder } from './build-test-app.js';
import {
  finishedJob,
  holdAnExportSlot,
  jobFolders,
  runningJob,
  submitJob,
  trades,
  waitUntil,
} from './job-helpers.js';
import { createTestJobQueue, holdALimiterSlot, tempExportFolder } from './test-job-queue.js';

// 0.0001 hours: 360 ms, swept every 90 ms (a quarter of it).
const retention = { EXPORT_RETENTION_HOURS: '0.0001' };
const retentionMs = 360;

describe('the retention sweep of an app', () => {
  it('deletes a done job and its folder once the retention has passed, not before', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder(retention);
    const job = await finishedJob(app);
    await waitUntil(
      'the job is gone',
      async () => (await app.inject({ method: 'GET', url: job.links.self })).statusCode === 404,
      3_000,
    );
    expect(Date.now() - Date.parse(job.finishedAt ?? '')).toBeGreaterThanOrEqual(retentionMs);
    // The sweep forgets the job first, then removes its folder.
    await waitUntil(
      'its folder is gone',
      async () => (await jobFolders(exportDirectory)).length === 0,
    );
    const download = await app.inject({ method: 'GET', url: job.links.download });
    expect(download.json().code).toBe('EXECUTOR_JOB_NOT_FOUND');
  });

  it('never sweeps a queued job, however long it waits', async () => {
    const app = (await buildTestAppWithFolder({ ...retention, EXPORT_MAX_CONCURRENT: '1' })).app;
    const slot = await holdAnExportSlot(app);
    const job = await submitJob(app, { format: 'csv', data: trades });
    await sleep(retentionMs * 1.5);
    const response = await app.inject({ method: 'GET', url: job.links.self });
    expect(response.json().status).toBe('queued');
    await slot.release();
  });

  it('never sweeps a running job', async () => {
    const { app } = await buildTestAppWithFolder({ ...retention, EXPORT_SHUTDOWN_TIMEOUT_S: '0' });
    const job = await runningJob(app);
    await sleep(retentionMs * 1.5);
    // Still running, or done too recently to be swept: either way, still there.
    const response = await app.inject({ method: 'GET', url: job.links.self });
    expect(response.statusCode).toBe(200);
  });

  it('deletes /export/run files once the retention has passed', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder(retention);
    const run = await app.inject({
      method: 'POST',
      url: '/export/run',
      payload: { format: 'csv', data: trades },
    });
    const { filename } = run.json().result;
    expect(await readdir(exportDirectory)).toContain(filename);
    await waitUntil(
      'the file is gone',
      async () => !(await readdir(exportDirectory)).includes(filename),
      3_000,
    );
    expect(await readdir(exportDirectory)).toEqual(['jobs']);
  });
});

describe('sweepExpired', () => {
  const day = 24 * 3_600_000;

  /** A started queue on a temp folder whose clock only moves when the test says so. */
  async function queueWithClock() {
    const folder = tempExportFolder();
    const clock = { now: Date.parse('2030-01-01T00:00:00.000Z') };
    const { queue, limiter } = createTestJobQueue(folder, {
      limiter: { maxConcurrent: 1, maxQueue: 10 },
      retentionMs: day,
      now: () => clock.now,
    });
    await queue.start();
    await queue.recovered();
    const submit = () =>
      queue.enqueue({ format: 'csv', options: {}, owner: null, input: { records: trades } });
    return { queue, limiter, folder, clock, submit };
  }

  async function settled(queue: EmbeddedJobQueue, id: string) {
    await waitUntil(`job ${id} is finished`, async () =>
      ['done', 'failed', 'cancelled'].includes((await queue.get(id, undefined))?.status ?? ''),
    );
  }

  it('keeps a finished job until its retention has passed, then deletes it with its folder', async () => {
    const { queue, folder, clock, submit } = await queueWithClock();
    const job = await submit();
    await settled(queue, job.id);
    clock.now += day - 1;
    expect(await queue.sweepExpired()).toBe(0);
    expect((await queue.get(job.id, undefined))?.status).toBe('done');
    clock.now += 1;
    expect(await queue.sweepExpired()).toBe(1);
    expect(await queue.get(job.id, undefined)).toBeUndefined();
    expect(await readdir(join(folder, 'jobs'))).toEqual([]);
  });

  it('sweeps cancelled jobs too, but never one that has not finished', async () => {
    const { queue, limiter, clock, submit } = await queueWithClock();
    const slot = holdALimiterSlot(limiter);
    const [queued, cancelled] = [await submit(), await submit()];
    await queue.delete(cancelled.id, undefined);
    clock.now += 365 * day;
    expect(await queue.sweepExpired()).toBe(1);
    expect(await queue.get(cancelled.id, undefined)).toBeUndefined();
    expect((await queue.get(queued.id, undefined))?.status).toBe('queued');
    await slot.release();
  });
});
