import { describe, expect, it } from 'vitest';
import { digestDownload } from './digest-download.js';
import { httpJson } from './http-json.js';
import { type JobView, submitNdjsonJob, waitUntilJobSettles } from './job-client.js';
import { startExecutor } from './spawn-executor.js';

const aliceToken = 'alice-token-4f9c2b7e1d';
const bobToken = 'bob-token-8a3e6c0f5b';
const alice = { authorization: `Bearer ${aliceToken}` };
const bob = { authorization: `Bearer ${bobToken}` };
const environment = { EXPORT_API_TOKENS: `${aliceToken}:alice,${bobToken}:bob` };

// Each test starts its own process, which takes about a second.
const timeoutMs = 30_000;

/** Starts an executor with alice and bob as users, and a done job of alice's. */
async function startWithAlicesJob() {
  const executor = await startExecutor(environment);
  const accepted = await submitNdjsonJob(executor.url, 'format=csv', 100, alice);
  const job = await waitUntilJobSettles(executor.url, accepted.id, {
    timeoutMs: 15_000,
    headers: alice,
  });
  expect(job).toMatchObject({ status: 'done', rows: 100 });
  return { executor, job };
}

const idsOf = (answer: { json: unknown }) =>
  (answer.json as { jobs: JobView[] }).jobs.map(({ id }) => id);

describe('export jobs of two users over HTTP', () => {
  it.each([
    ['GET', 'self'],
    ['GET', 'download'],
    ['DELETE', 'self'],
  ] as const)(
    "answers 404 EXECUTOR_JOB_NOT_FOUND to bob's %s of the %s link of alice's job, which stays",
    async (method, link) => {
      const { executor, job } = await startWithAlicesJob();

      const answer = await httpJson(executor.url, job.links[link], { method, headers: bob });

      expect(answer.status).toBe(404);
      expect(answer.json).toMatchObject({
        code: 'EXECUTOR_JOB_NOT_FOUND',
        message: `no export job ${job.id}`,
      });
      const stillThere = await httpJson(executor.url, job.links.self, { headers: alice });
      expect(stillThere.json).toMatchObject({ id: job.id, status: 'done', sha256: job.sha256 });
    },
    timeoutMs,
  );

  it(
    "lists alice's job to alice and not to bob",
    async () => {
      const { executor, job } = await startWithAlicesJob();

      const alicesList = await httpJson(executor.url, '/export/jobs', { headers: alice });
      const bobsList = await httpJson(executor.url, '/export/jobs', { headers: bob });

      expect(alicesList.status).toBe(200);
      expect(idsOf(alicesList)).toEqual([job.id]);
      expect(bobsList.status).toBe(200);
      expect(bobsList.json).toEqual({ jobs: [], nextCursor: null });
    },
    timeoutMs,
  );

  it(
    'lets alice read, download and then delete her job',
    async () => {
      const { executor, job } = await startWithAlicesJob();

      const read = await httpJson(executor.url, job.links.self, { headers: alice });
      const download = await digestDownload(executor.url, job.links.download, alice);
      const deletion = await httpJson(executor.url, job.links.self, {
        method: 'DELETE',
        headers: alice,
      });

      expect(read.status).toBe(200);
      expect(read.json).toMatchObject({ id: job.id, status: 'done' });
      expect(download.status).toBe(200);
      expect(download.sha256).toBe(job.sha256);
      expect(deletion.status).toBe(200);
      expect(deletion.json).toEqual({ id: job.id, status: 'deleted' });
      expect((await httpJson(executor.url, job.links.self, { headers: alice })).status).toBe(404);
    },
    timeoutMs,
  );

  it(
    "answers 401 EXECUTOR_UNAUTHORIZED without a token to every jobs route, alice's job included",
    async () => {
      const { executor, job } = await startWithAlicesJob();
      const calls = [
        { method: 'POST', path: '/export/jobs', body: { format: 'csv', data: [{ id: 1 }] } },
        { method: 'GET', path: '/export/jobs' },
        { method: 'GET', path: job.links.self },
        { method: 'GET', path: job.links.download },
        { method: 'DELETE', path: job.links.self },
      ];

      const answers = await Promise.all(
        calls.map(({ method, path, body }) => httpJson(executor.url, path, { method, body })),
      );

      for (const answer of answers) {
        expect(answer.status).toBe(401);
        expect(answer.json).toMatchObject({ code: 'EXECUTOR_UNAUTHORIZED' });
      }
      const list = await httpJson(executor.url, '/export/jobs', { headers: alice });
      expect(list.json).toMatchObject({ jobs: [{ id: job.id, status: 'done' }] });
    },
    timeoutMs,
  );
});
