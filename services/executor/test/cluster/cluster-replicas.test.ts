import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { digestDownload } from '../real-server/digest-download.js';
import { httpJson } from '../real-server/http-json.js';
import {
  getJob,
  type JobView,
  submitNdjsonJob,
  waitUntilJobExports,
  waitUntilJobSettles,
} from '../real-server/job-client.js';
import { jobFolderFiles } from '../real-server/job-folders.js';
import { sampleRecords } from '../real-server/sample-records.js';
import { waitUntil } from '../real-server/wait-until.js';
import {
  countJobs,
  exportLeftovers,
  jobStarts,
  postNdjsonJob,
  sampleUntilStopped,
  scrapeClusterGauges,
  startReplicas,
} from './replica-cluster.js';
import { useRedisServer } from './use-redis-server.js';

// Short, so a killed replica's job and slot are handed on within seconds.
const lockSeconds = 3;
const sampleIntervalMs = 50;
const waitMs = 90_000;
const testTimeoutMs = 120_000;

const redis = useRedisServer();

function clusterOf(environment: Record<string, string>) {
  return startReplicas(redis.url, { EXPORT_CLUSTER_LOCK_S: String(lockSeconds), ...environment });
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Downloads a done job from `url` and checks it is the file the job describes. */
async function expectDownloadMatches(url: string, job: JobView): Promise<void> {
  const download = await digestDownload(url, job.links.download);
  expect(download).toMatchObject({ status: 200, bytes: job.bytes, sha256: job.sha256 });
  expect(download.headers.etag).toBe(`"${job.sha256}"`);
  // A CSV is one header line and one line per row.
  if (job.format === 'csv') expect(download.newlines).toBe((job.rows ?? 0) + 1);
}

const highest = (values: number[]) => Math.max(0, ...values);

describe('a cluster of three executor replicas on one Redis', () => {
  it(
    'the cluster cap on running exports is never exceeded',
    async () => {
      // Six local slots across the replicas, two in the cluster.
      const replicas = await clusterOf({
        EXPORT_CLUSTER_MAX_CONCURRENT: '2',
        EXPORT_MAX_CONCURRENT: '2',
      });
      const urls = replicas.map((replica) => replica.url);
      const exportDirectory = replicas[0]?.exportDirectory ?? '';
      const at = (index: number) => urls[index % urls.length] ?? '';
      const sampler = sampleUntilStopped(async (round) => {
        const [runningJobs, gauges] = await Promise.all([
          countJobs(at(round), 'running'),
          scrapeClusterGauges(at(round + 1)),
        ]);
        return { runningJobs, clusterRunning: gauges.running };
      }, sampleIntervalMs);

      const jobSpecs = [
        ...Array.from({ length: 4 }, () => ({ format: 'pdf', rows: 30_000 })),
        ...Array.from({ length: 8 }, () => ({ format: 'csv', rows: 20_000 })),
      ];
      const accepted = await Promise.all(
        jobSpecs.map((spec, index) =>
          submitNdjsonJob(at(index), `format=${spec.format}`, spec.rows),
        ),
      );
      // Requests hold cluster slots too: sent while the jobs wait and run.
      const requestBody = { format: 'csv', data: sampleRecords(5_000) };
      const requestCall = { body: requestBody, timeoutMs: waitMs };
      const runs = urls.map((url) => httpJson(url, '/export/run', requestCall));
      const streams = urls.map((url) => httpJson(url, '/export/stream', requestCall));
      const settled = await Promise.all(
        accepted.map((job, index) =>
          waitUntilJobSettles(at(index + 1), job.id, { timeoutMs: waitMs, intervalMs: 200 }),
        ),
      );
      const [runAnswers, streamAnswers] = await Promise.all([
        Promise.all(runs),
        Promise.all(streams),
      ]);
      const samples = await sampler.stop();
      console.info(
        `cluster cap: ${samples.length} samples, at most ${highest(samples.map((sample) => sample.runningJobs))} jobs running, ` +
          `export_cluster_running at most ${highest(samples.map((sample) => sample.clusterRunning))}`,
      );

      expect(samples.filter((sample) => sample.runningJobs > 2)).toEqual([]);
      expect(samples.filter((sample) => sample.clusterRunning > 2)).toEqual([]);
      // The cap was reached, so it had something to hold.
      expect(highest(samples.map((sample) => sample.runningJobs))).toBe(2);
      expect(highest(samples.map((sample) => sample.clusterRunning))).toBe(2);
      for (const [index, job] of settled.entries()) {
        expect(job).toMatchObject({ status: 'done', rows: jobSpecs[index]?.rows, error: null });
        await expectDownloadMatches(at(index + 2), job);
      }
      for (const answer of runAnswers) {
        expect(answer.status).toBe(200);
        const { result } = answer.json as { result: { filename: string; sha256: string } };
        expect(result).toMatchObject({ rows: 5_000 });
        expect(await sha256OfFile(join(exportDirectory, result.filename))).toBe(result.sha256);
      }
      for (const answer of streamAnswers) {
        expect(answer.status).toBe(200);
        expect(answer.text.split('\n').length - 1).toBe(5_001);
      }
    },
    testTimeoutMs,
  );

  it(
    'the cluster queue cap holds under 200 concurrent submissions spread across replicas',
    async () => {
      const replicas = await clusterOf({
        EXPORT_CLUSTER_MAX_CONCURRENT: '2',
        EXPORT_CLUSTER_MAX_QUEUE: '10',
      });
      const urls = replicas.map((replica) => replica.url);
      const at = (index: number) => urls[index % urls.length] ?? '';
      const rows = 200;
      const sampler = sampleUntilStopped(async (round) => {
        const [gauges, queuedJobs, runningJobs] = await Promise.all([
          scrapeClusterGauges(at(round)),
          countJobs(at(round + 1), 'queued'),
          countJobs(at(round + 2), 'running'),
        ]);
        return { ...gauges, queuedJobs, runningJobs };
      }, sampleIntervalMs);

      const answers = await Promise.all(
        Array.from({ length: 200 }, (_, index) => postNdjsonJob(at(index), 'format=csv', rows)),
      );
      const accepted = answers
        .filter((answer) => answer.status === 202)
        .map((answer) => answer.json as JobView);
      // Sampled until the queue has drained, not only while the submissions are answered.
      const settled = await Promise.all(
        accepted.map((job, index) =>
          waitUntilJobSettles(at(index + 1), job.id, { timeoutMs: waitMs, intervalMs: 200 }),
        ),
      );
      const samples = await sampler.stop();
      const refused = answers.filter((answer) => answer.status === 429);
      console.info(
        `queue cap: ${accepted.length} of 200 accepted, ${refused.length} refused; ` +
          `queue depth at most ${highest(samples.map((sample) => sample.queueDepth))}, ` +
          `queued jobs at most ${highest(samples.map((sample) => sample.queuedJobs))} over ${samples.length} samples`,
      );

      expect(answers.filter((answer) => answer.status !== 202 && answer.status !== 429)).toEqual(
        [],
      );
      for (const answer of refused) {
        expect(answer.json).toMatchObject({ code: 'LIMITER_QUEUE_FULL' });
        expect(answer.headers['retry-after']).toMatch(/^[1-9]\d*$/);
      }
      // The cap turned some away, so it did something.
      expect(refused.length).toBeGreaterThan(0);
      // Soft: a breach is reported with the rest checked, so nothing accepted may be lost either.
      expect.soft(samples.filter((sample) => sample.queueDepth > 10)).toEqual([]);
      expect.soft(samples.filter((sample) => sample.queuedJobs > 10)).toEqual([]);
      for (const [index, job] of settled.entries()) {
        expect(job).toMatchObject({ status: 'done', rows, error: null });
        await expectDownloadMatches(at(index + 2), job);
      }
    },
    testTimeoutMs,
  );

  it(
    'a job accepted on one replica is visible, downloadable and cancellable from the others',
    async () => {
      const [a, b, c] = await clusterOf({ EXPORT_CLUSTER_MAX_CONCURRENT: '2' });
      if (!a || !b || !c) throw new Error('three replicas expected');
      const order = ['queued', 'running', 'done'];

      const submitted = await submitNdjsonJob(a.url, 'format=pdf', 30_000);
      const seenOnB: JobView[] = [];
      const seenOnC: JobView[] = [];
      const [fromB, fromC] = await Promise.all([
        waitUntilJobSettles(b.url, submitted.id, {
          timeoutMs: waitMs,
          onPoll: (job) => seenOnB.push(job),
        }),
        waitUntilJobSettles(c.url, submitted.id, {
          timeoutMs: waitMs,
          onPoll: (job) => seenOnC.push(job),
        }),
      ]);

      expect(fromB).toEqual(fromC);
      expect(fromC).toMatchObject({ id: submitted.id, status: 'done', rows: 30_000, error: null });
      for (const seen of [seenOnB, seenOnC]) {
        expect(seen.every((job) => job.id === submitted.id)).toBe(true);
        // Seen before it was done, and only ever moving forward.
        expect(['queued', 'running']).toContain(seen[0]?.status);
        const positions = seen.map((job) => order.indexOf(job.status));
        expect(positions).toEqual([...positions].sort());
      }
      await expectDownloadMatches(c.url, fromC);
      const list = await httpJson(b.url, '/export/jobs?limit=100');
      expect((list.json as { jobs: JobView[] }).jobs.map((job) => job.id)).toContain(submitted.id);

      const long = await submitNdjsonJob(b.url, 'format=pdf', 300_000);
      await waitUntilJobExports(c.url, long.id, { timeoutMs: waitMs });
      const cancelled = await httpJson(c.url, `/export/jobs/${long.id}`, {
        method: 'DELETE',
        timeoutMs: waitMs,
      });

      expect(cancelled.status).toBe(200);
      expect(cancelled.json).toMatchObject({ id: long.id, status: 'cancelled', error: null });
      expect(exportLeftovers(a.exportDirectory, long.id)).toEqual([]);
      expect(await getJob(a.url, long.id)).toMatchObject({ status: 'cancelled' });
    },
    testTimeoutMs,
  );

  it(
    'kill -9 of the replica running a job ends with that job done and verifiable on another replica',
    async () => {
      const replicas = await clusterOf({ EXPORT_CLUSTER_MAX_CONCURRENT: '2' });
      const rows = 400_000;

      const job = await submitNdjsonJob(replicas[0]?.url ?? '', 'format=csv', rows);
      const runner = await waitUntil(
        `a replica to start job ${job.id}`,
        async () =>
          replicas.find((replica) => jobStarts(replica).some((start) => start.jobId === job.id)),
        { timeoutMs: waitMs, intervalMs: 20 },
      );
      // Killed while it writes: its temp file is in the job's folder.
      await waitUntilJobExports(runner.url, job.id, { timeoutMs: waitMs });
      expect(exportLeftovers(runner.exportDirectory, job.id)).toEqual([
        expect.stringMatching(/\.partial$/),
      ]);
      await runner.stop('SIGKILL');
      const killedAt = Date.now();
      const survivors = replicas.filter((replica) => replica !== runner);
      const survivor = survivors[0]?.url ?? '';
      const done = await waitUntilJobSettles(survivor, job.id, { timeoutMs: waitMs });

      expect(done).toMatchObject({ status: 'done', rows, error: null });
      const restarts = survivors.flatMap((replica) =>
        jobStarts(replica).filter((start) => start.jobId === job.id),
      );
      expect(jobStarts(runner).filter((start) => start.jobId === job.id)).toMatchObject([
        { attempt: 1 },
      ]);
      expect(restarts.map((start) => start.attempt)).toEqual([2]);
      await expectDownloadMatches(survivors[1]?.url ?? '', done);
      // The killed run's temp file is gone; the finished file has its manifest.
      expect(jobFolderFiles(runner.exportDirectory, job.id)).toEqual([
        'export.csv',
        'manifest.json',
      ]);
      console.info(
        `kill -9: job started again on a survivor ${(restarts[0]?.time ?? 0) - killedAt} ms after the kill ` +
          `(EXPORT_CLUSTER_LOCK_S=${lockSeconds}), done ${Date.parse(done.finishedAt ?? '') - killedAt} ms after it`,
      );
    },
    testTimeoutMs,
  );
});
