import { describe, expect, it } from 'vitest';
import { buildTestApp, buildTestAppWithFolder } from './build-test-app.js';
import { finishedJob, type JobView, jobFolders, submitJob, trades } from './job-helpers.js';

const tokens = 'aaaaaaaaaaaaaaaa1:alice,bbbbbbbbbbbbbbbb2:bob';
const alice = { authorization: 'Bearer aaaaaaaaaaaaaaaa1' };
const bob = { authorization: 'Bearer bbbbbbbbbbbbbbbb2' };
const someId = '00000000-0000-4000-8000-000000000000';

const idsOf = (jobs: readonly JobView[]) => jobs.map((job) => job.id);

describe('export jobs with EXPORT_API_TOKENS set', () => {
  it.each([
    ['POST', '/export/jobs'],
    ['GET', '/export/jobs'],
    ['GET', `/export/jobs/${someId}`],
    ['GET', `/export/jobs/${someId}/download`],
    ['DELETE', `/export/jobs/${someId}`],
  ] as const)(
    'answers 401 EXECUTOR_UNAUTHORIZED to %s %s without a token, keeping nothing',
    async (method, url) => {
      const { app, exportDirectory } = await buildTestAppWithFolder({ EXPORT_API_TOKENS: tokens });
      const response = await app.inject({
        method,
        url,
        ...(method === 'POST' ? { payload: { format: 'csv', data: trades } } : {}),
      });
      expect(response.statusCode).toBe(401);
      expect(response.json().code).toBe('EXECUTOR_UNAUTHORIZED');
      expect(await jobFolders(exportDirectory)).toEqual([]);
    },
  );

  it("counts only the caller's own jobs in /export/status", async () => {
    const app = await buildTestApp({ EXPORT_API_TOKENS: tokens });
    await finishedJob(app, alice);
    const jobsOf = async (headers: Record<string, string>) =>
      (await app.inject({ method: 'GET', url: '/export/status', headers })).json().jobs;
    expect(await jobsOf(alice)).toMatchObject({ done: 1 });
    expect(await jobsOf(bob)).toEqual({ queued: 0, running: 0, done: 0, failed: 0, cancelled: 0 });
  });

  it('lets a user read, download and delete their own job', async () => {
    const app = await buildTestApp({ EXPORT_API_TOKENS: tokens });
    const job = await finishedJob(app, alice);
    const read = await app.inject({ method: 'GET', url: job.links.self, headers: alice });
    expect(read.statusCode).toBe(200);
    const download = await app.inject({ method: 'GET', url: job.links.download, headers: alice });
    expect(download.statusCode).toBe(200);
    const deletion = await app.inject({ method: 'DELETE', url: job.links.self, headers: alice });
    expect(deletion.json()).toEqual({ id: job.id, status: 'deleted' });
  });

  it.each([
    ['GET', 'self'],
    ['GET', 'download'],
    ['DELETE', 'self'],
  ] as const)(
    "answers 404 EXECUTOR_JOB_NOT_FOUND to another user's %s of a job's %s link",
    async (method, link) => {
      const app = await buildTestApp({ EXPORT_API_TOKENS: tokens });
      const job = await finishedJob(app, alice);
      const response = await app.inject({ method, url: job.links[link], headers: bob });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({
        code: 'EXECUTOR_JOB_NOT_FOUND',
        message: `no export job ${job.id}`,
      });
      const stillThere = await app.inject({ method: 'GET', url: job.links.self, headers: alice });
      expect(stillThere.json().status).toBe('done');
    },
  );

  it("never lists another user's jobs, whatever the filter", async () => {
    const app = await buildTestApp({ EXPORT_API_TOKENS: tokens });
    const alicesJobs = [await finishedJob(app, alice), await finishedJob(app, alice)];
    const bobsJob = await submitJob(app, { format: 'pdf', data: trades }, bob);
    for (const query of ['', '?status=done', '?format=csv', '?limit=1']) {
      const answer = await app.inject({ method: 'GET', url: `/export/jobs${query}`, headers: bob });
      expect(idsOf(answer.json().jobs).filter((id) => id !== bobsJob.id)).toEqual([]);
    }
    const alicesList = await app.inject({ method: 'GET', url: '/export/jobs', headers: alice });
    expect(idsOf(alicesList.json().jobs).sort()).toEqual(idsOf(alicesJobs).sort());
  });

  it("does not let a cursor from one user's list reach another user's jobs", async () => {
    const app = await buildTestApp({ EXPORT_API_TOKENS: tokens });
    await finishedJob(app, alice);
    await finishedJob(app, alice);
    const bobsJob = await finishedJob(app, bob);
    const alicesPage = await app.inject({
      method: 'GET',
      url: '/export/jobs?limit=1',
      headers: alice,
    });
    const { nextCursor } = alicesPage.json();
    const answer = await app.inject({
      method: 'GET',
      url: `/export/jobs?cursor=${nextCursor}`,
      headers: bob,
    });
    expect(idsOf(answer.json().jobs).filter((id) => id !== bobsJob.id)).toEqual([]);
  });
});
