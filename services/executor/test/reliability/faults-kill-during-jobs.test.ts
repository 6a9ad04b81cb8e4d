import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { digestDownload } from '../real-server/digest-download.js';
import { httpJson } from '../real-server/http-json.js';
import {
  getJob,
  type JobView,
  submitNdjsonJob,
  waitUntilJobSettles,
} from '../real-server/job-client.js';
import { jobFolderFiles, partialFilesUnder } from '../real-server/job-folders.js';
import { startNdjsonUpload } from '../real-server/ndjson-upload.js';
import { ndjsonLines } from '../real-server/sample-records.js';
import { startExecutor } from '../real-server/spawn-executor.js';
import { exportStatus, waitUntil, waitUntilRunning } from '../real-server/wait-until.js';
import { readResponse } from './faults-response.js';

// Fault: the process is killed with SIGKILL (no shutdown code runs) while 10 jobs export and
// 10 wait for a slot; a new process starts on the same export folder.

const environment = { EXPORT_MAX_CONCURRENT: '10', EXPORT_MAX_QUEUE: '20' };
// Ten PDFs of this many rows sharing 2 cores take about 10 s: still exporting at the kill, which
// comes a moment after they all start together.
const runningJobRows = 60_000;
const waitingJobs = Array.from({ length: 10 }, (_, index) => ({
  query: index % 2 === 0 ? 'format=csv' : 'format=pdf',
  rows: 500 + index * 250,
}));
const waitMs = 60_000;

interface Killed {
  exportDirectory: string;
  running: JobView[];
  waiting: JobView[];
  /** Temp files of the running exports, seen just before the kill. */
  partialFilesAtKill: string[];
  /** The furthest a running job had got, as a share of its rows. */
  furthestProgress: number;
}

/** Ten NDJSON exports whose uploads stay open: they hold all ten slots until released. */
async function holdTheTenSlots(url: string) {
  const holders = Array.from({ length: 10 }, () =>
    startNdjsonUpload(url, '/export/stream?format=csv'),
  );
  for (const holder of holders) await holder.send(ndjsonLines(1, 1));
  await waitUntilRunning(url, 10, waitMs);
  return {
    /** Ends every upload at once: their exports finish and give their slots up together. */
    async release() {
      await Promise.all(holders.map((holder) => holder.end()));
      await Promise.all(holders.map(async (holder) => readResponse(await holder.response)));
    },
  };
}

/**
 * 10 jobs exporting and 10 queued behind them, then SIGKILL. The 20 are queued first, behind
 * slots held open, and the slots freed at once: the 10 running jobs start together, so none is
 * near its end when the kill comes.
 */
async function killWhileTenRunAndTenWait(): Promise<Killed> {
  const first = await startExecutor(environment);
  const { url, exportDirectory } = first;
  const slots = await holdTheTenSlots(url);
  const running = await Promise.all(
    Array.from({ length: 10 }, () => submitNdjsonJob(url, 'format=pdf', runningJobRows)),
  );
  const waiting: JobView[] = [];
  for (const { query, rows } of waitingJobs) waiting.push(await submitNdjsonJob(url, query, rows));
  await slots.release();
  await waitUntil(
    'the first 10 jobs to be exporting',
    async () => {
      const jobs = await Promise.all(running.map(({ id }) => getJob(url, id)));
      return jobs.every((job) => job.status === 'running' && job.progress.rows > 0)
        ? true
        : undefined;
    },
    { timeoutMs: waitMs, intervalMs: 20 },
  );
  const status = await exportStatus(url);
  const progress = await Promise.all(running.map(({ id }) => getJob(url, id)));
  const partialFilesAtKill = partialFilesUnder(exportDirectory);

  expect(await first.stop('SIGKILL')).toBeNull();

  // Checked after the kill, so a failed precondition leaves no process behind.
  expect(status).toMatchObject({ running: 10, queued: 10 });
  expect(progress.map(({ status: jobStatus }) => jobStatus)).toEqual(Array(10).fill('running'));
  return {
    exportDirectory,
    running,
    waiting,
    partialFilesAtKill,
    furthestProgress: Math.max(...progress.map((job) => job.progress.rows / runningJobRows)),
  };
}

describe('SIGKILL while 10 jobs run and 10 wait, then a restart on the same folder', () => {
  it('fails the running ones with EXECUTOR_INTERRUPTED, runs the waiting ones to done, and serves or leaves no temp file', async () => {
    const killed = await killWhileTenRunAndTenWait();
    const { exportDirectory } = killed;
    expect(
      killed.partialFilesAtKill.filter((path) => /\.export\.pdf\..+\.partial$/.test(path)),
    ).toHaveLength(10);

    const startedAt = Date.now();
    const restarted = await startExecutor(environment, { exportDirectory });
    const { url } = restarted;
    const bootMs = Date.now() - startedAt;

    for (const { id } of killed.running) {
      const job = await getJob(url, id);
      expect(job).toMatchObject({
        status: 'failed',
        rows: null,
        bytes: null,
        sha256: null,
        error: { code: 'EXECUTOR_INTERRUPTED' },
      });
      expect(jobFolderFiles(exportDirectory, id)).toEqual(['job.json']);
      expect((await httpJson(url, job.links.download)).status).toBe(409);
    }
    for (const [index, { id }] of killed.waiting.entries()) {
      const job = await waitUntilJobSettles(url, id, { timeoutMs: waitMs });
      expect(job).toMatchObject({ status: 'done', rows: waitingJobs[index]?.rows, error: null });
      const download = await digestDownload(url, job.links.download);
      expect(download.status).toBe(200);
      expect(download.bytes).toBe(job.bytes);
      expect(download.sha256).toBe(job.sha256);
      // The file on disk is the whole one, not only what was served.
      const file = readFileSync(join(exportDirectory, 'jobs', id, `export.${job.format}`));
      expect(createHash('sha256').update(file).digest('hex')).toBe(job.sha256);
    }
    // No done job of the 20 has a file of the wrong size, and none is left in between.
    const list = await httpJson(url, '/export/jobs?limit=100');
    const listed = (list.json as { jobs: JobView[] }).jobs;
    expect(listed.filter(({ status }) => status === 'done')).toHaveLength(10);
    expect(listed.filter(({ status }) => status === 'failed')).toHaveLength(10);
    // A job turns done a moment before its record's temp file is renamed into place.
    await waitUntil(
      'no .partial file under the export folder',
      async () => (partialFilesUnder(exportDirectory).length === 0 ? true : undefined),
      { timeoutMs: 5_000 },
    );
    console.log(
      `killed at ${(killed.furthestProgress * 100).toFixed(0)}% of the furthest running job, ` +
        `${killed.partialFilesAtKill.length} temp files at the kill; restart listening after ${bootMs} ms; ` +
        `the 10 waiting jobs done ${Date.now() - startedAt} ms after the restart`,
    );
  });
});
