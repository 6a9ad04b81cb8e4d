import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, expect, it, vi } from 'vitest';
import { httpJson } from '../real-server/http-json.js';
import { startExecutor } from '../real-server/spawn-executor.js';
import { writeDoneJobs } from '../real-server/stored-jobs.js';
import { waitUntil } from '../real-server/wait-until.js';

// Finding: 10,531 jobs made by one client stopped the executor from booting: recovery ran job
// by job inside plugin registration, which Fastify cuts off after 10 s. Recovery now runs once
// the server is up: /health answers at once, /ready and the job routes say 503 until it is done.
const storedJobs = 50_000;
// Writing and removing 150,000 files takes a while on a loaded machine.
vi.setConfig({ testTimeout: 300_000 });

describe(`a restart on ${storedJobs.toLocaleString('en-US')} stored jobs`, () => {
  it('listens within seconds, answers 503 EXECUTOR_RECOVERING on /ready and the job routes, then serves every job', async () => {
    // startExecutor removes it after the test.
    const exportDirectory = mkdtempSync(join(tmpdir(), 'executor-many-jobs-'));
    writeDoneJobs(exportDirectory, storedJobs, { finishedAt: new Date().toISOString() });

    const emptyStartedAt = performance.now();
    await (await startExecutor()).stop();
    const emptyListenedMs = performance.now() - emptyStartedAt;
    const startedAt = performance.now();
    const executor = await startExecutor({}, { exportDirectory, whileRecovering: true });
    const listenedMs = performance.now() - startedAt;
    const { url } = executor;

    expect((await httpJson(url, '/health')).status).toBe(200);
    const ready = await httpJson(url, '/ready');
    expect(ready.status).toBe(503);
    expect(ready.json).toMatchObject({ code: 'EXECUTOR_RECOVERING' });
    const list = await httpJson(url, '/export/jobs');
    expect(list.status).toBe(503);
    expect(list.headers['retry-after']).toBe('5');
    expect(list.json).toMatchObject({
      statusCode: 503,
      code: 'EXECUTOR_RECOVERING',
      message: expect.stringMatching(/\((listing them|\d+ of 50000 checked)\)/),
    });

    await waitUntil(
      '/ready to answer 200',
      async () => ((await httpJson(url, '/ready')).status === 200 ? true : undefined),
      { timeoutMs: 100_000, intervalMs: 100 },
    );
    const readyMs = performance.now() - startedAt;
    const status = await httpJson(url, '/export/status');
    expect(status.json).toMatchObject({ jobs: { done: storedJobs } });
    const recoveredLine = executor
      .logs()
      .split('\n')
      .find((line) => line.includes('"export jobs recovered"'));
    expect(JSON.parse(recoveredLine ?? '{}')).toMatchObject({ done: storedJobs, lost: 0 });
    process.stderr.write(
      `boot on ${storedJobs} stored jobs: listening after ${Math.round(listenedMs)} ms (${Math.round(emptyListenedMs)} ms with none), ready after ${Math.round(readyMs)} ms\n`,
    );
    // The listen line comes while recovery has barely begun, whatever the count.
    expect(listenedMs - emptyListenedMs).toBeLessThan(5_000);
    await executor.stop();
    // Here, not in the shared afterEach, whose time limit 150,000 files can outlast.
    await rm(exportDirectory, { recursive: true, force: true });
  });
});

describe('a client that floods POST /export/jobs with one token', () => {
  it('gets 429 EXECUTOR_JOB_QUOTA_EXCEEDED past EXPORT_MAX_JOBS_PER_USER, and the others do not', async () => {
    const tokens = 'aaaaaaaaaaaaaaaa1:alice,bbbbbbbbbbbbbbbb2:bob';
    const alice = { authorization: 'Bearer aaaaaaaaaaaaaaaa1' };
    const bob = { authorization: 'Bearer bbbbbbbbbbbbbbbb2' };
    const { url } = await startExecutor({
      EXPORT_API_TOKENS: tokens,
      EXPORT_MAX_JOBS_PER_USER: '20',
      EXPORT_MAX_QUEUE: '1000',
    });
    const submit = (headers: Record<string, string>) =>
      httpJson(url, '/export/jobs', { headers, body: { format: 'csv', data: [{ id: 1 }] } });

    // Eight loops at once, as in the finding, of ten submissions each.
    const loops = Array.from({ length: 8 }, async () => {
      const statuses: number[] = [];
      for (let index = 0; index < 10; index += 1) statuses.push((await submit(alice)).status);
      return statuses;
    });
    const statuses = (await Promise.all(loops)).flat();

    expect(statuses.filter((status) => status === 202)).toHaveLength(20);
    expect(statuses.filter((status) => status === 429)).toHaveLength(60);
    const refused = await submit(alice);
    expect(refused.json).toMatchObject({ code: 'EXECUTOR_JOB_QUOTA_EXCEEDED' });
    expect((await submit(bob)).status).toBe(202);
  });
});
