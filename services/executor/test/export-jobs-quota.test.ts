import { describe, expect, it } from 'vitest';
import { buildTestApp, buildTestAppWithFolder } from './build-test-app.js';
import { finishedJob, jobFolders, submitJob, trades } from './job-helpers.js';

const tokens = 'aaaaaaaaaaaaaaaa1:alice,bbbbbbbbbbbbbbbb2:bob';
const alice = { authorization: 'Bearer aaaaaaaaaaaaaaaa1' };
const bob = { authorization: 'Bearer bbbbbbbbbbbbbbbb2' };
const quota = { EXPORT_API_TOKENS: tokens, EXPORT_MAX_JOBS_PER_USER: '2' };
const job = { format: 'csv', data: trades };

describe('EXPORT_MAX_JOBS_PER_USER', () => {
  it('refuses a job past the quota with 429 EXECUTOR_JOB_QUOTA_EXCEEDED, keeping nothing of it', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder(quota);
    await finishedJob(app, alice);
    await finishedJob(app, alice);

    const refused = await app.inject({
      method: 'POST',
      url: '/export/jobs',
      payload: job,
      headers: alice,
    });

    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.json()).toEqual({
      statusCode: 429,
      code: 'EXECUTOR_JOB_QUOTA_EXCEEDED',
      error: 'Too Many Requests',
      message:
        'you already keep 2 export jobs, the most one user may (EXPORT_MAX_JOBS_PER_USER); delete finished ones or wait for them to expire',
      retryAfterSeconds: 60,
    });
    expect(await jobFolders(exportDirectory)).toHaveLength(2);
  });

  it('counts each user apart: a full quota of one does not refuse another', async () => {
    const app = await buildTestApp(quota);
    await finishedJob(app, alice);
    await finishedJob(app, alice);
    await expect(finishedJob(app, bob)).resolves.toMatchObject({ status: 'done' });
  });

  it('counts jobs in any status, and gives room back when one is deleted', async () => {
    const app = await buildTestApp(quota);
    const done = await finishedJob(app, alice);
    // Queued or running, it counts as well as a finished one.
    await submitJob(app, job, alice);
    await expect(submitJob(app, job, alice)).rejects.toThrow(/answered 429/);

    const deleted = await app.inject({ method: 'DELETE', url: done.links.self, headers: alice });
    expect(deleted.json()).toEqual({ id: done.id, status: 'deleted' });
    await expect(submitJob(app, job, alice)).resolves.toMatchObject({ status: 'queued' });
  });

  it('counts the refusal as rejected in export_requests_total', async () => {
    const app = await buildTestApp(quota);
    await finishedJob(app, alice);
    await finishedJob(app, alice);
    await app.inject({ method: 'POST', url: '/export/jobs', payload: job, headers: alice });
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/export_requests_total\{format="csv",outcome="rejected"\} 1\n/);
  });
});
