import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import type { ExecutorApp } from '../src/app.js';
import type { JobStatus } from '../src/jobs/job-record.js';
import type { JobView } from '../src/schemas/job-schema.js';
import { waitUntil as waitUntilDefined } from './real-server/wait-until.js';
import { bucketNames } from './s3-test-objects.js';
import { clusterBackend } from './test-backend.js';

export type { JobStatus, JobView };

export type Headers = Record<string, string>;

export const trades = [
  { id: 1, symbol: 'ACME', qty: 10, price: 12.5 },
  { id: 2, symbol: 'INIT', qty: -3, price: 99 },
];

/** `trades` as CSV with the rfc4180 profile: no BOM, CRLF. */
export const tradesCsv = 'id,symbol,qty,price\r\n1,ACME,10,12.5\r\n2,INIT,-3,99\r\n';

/** Enough rows that a PDF job runs for about a second, long after it has been accepted. */
export const longJobRows = 100_000;

export function sampleRows(count: number): Array<{ id: number; name: string; value: number }> {
  return Array.from({ length: count }, (_, id) => ({ id, name: `row ${id}`, value: id * 1.5 }));
}

export function ndjsonOf(records: readonly unknown[]): string {
  return records.map((record) => `${JSON.stringify(record)}\n`).join('');
}

export function sha256Of(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Submits a job with a JSON body; fails unless it is accepted. */
export async function submitJob(
  app: ExecutorApp,
  payload: Record<string, unknown>,
  headers: Headers = {},
): Promise<JobView> {
  const response = await app.inject({ method: 'POST', url: '/export/jobs', payload, headers });
  if (response.statusCode !== 202) {
    throw new Error(`POST /export/jobs answered ${response.statusCode}: ${response.body}`);
  }
  return response.json<JobView>();
}

/** A small rfc4180 CSV job of `trades`, run to done. */
export async function finishedJob(app: ExecutorApp, headers: Headers = {}): Promise<JobView> {
  const job = await submitJob(app, { format: 'csv', data: trades, csvProfile: 'rfc4180' }, headers);
  return waitForJobStatus(app, job.id, ['done'], { headers });
}

/**
 * A job of `longJobRows` rows, once it has started: as a PDF it runs for about a second, as a
 * CSV for about half of one. Give its app a 0 s shutdown, so closing it does not wait for it.
 */
export async function runningJob(
  app: ExecutorApp,
  { format = 'pdf', headers = {} }: { format?: 'csv' | 'pdf'; headers?: Headers } = {},
): Promise<JobView> {
  const job = await submitJob(app, { format, data: sampleRows(longJobRows) }, headers);
  return waitForJobStatus(app, job.id, ['running'], { headers });
}

export interface WaitOptions {
  timeoutMs?: number;
  headers?: Headers;
}

/**
 * Polls GET /export/jobs/:id until the job's status is one of `statuses`; fails after
 * `timeoutMs` naming the status it was stuck in.
 */
export async function waitForJobStatus(
  app: ExecutorApp,
  id: string,
  statuses: readonly JobStatus[],
  { timeoutMs = 5_000, headers = {} }: WaitOptions = {},
): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  do {
    const response = await app.inject({ method: 'GET', url: `/export/jobs/${id}`, headers });
    if (response.statusCode === 200) {
      const job = response.json<JobView>();
      if (statuses.includes(job.status)) return job;
      last = `status ${job.status}`;
    } else {
      last = `HTTP ${response.statusCode} ${response.body}`;
    }
    await sleep(10);
  } while (Date.now() < deadline);
  throw new Error(
    `job ${id} did not reach ${statuses.join(' or ')} within ${timeoutMs} ms (last: ${last})`,
  );
}

/** Polls `check` until it returns true; fails after `timeoutMs` with `description`. */
export async function waitUntil(
  description: string,
  check: () => Promise<boolean>,
  timeoutMs = 5_000,
): Promise<void> {
  await waitUntilDefined(description, async () => ((await check()) ? true : undefined), {
    timeoutMs,
    intervalMs: 10,
  });
}

export async function exportStatus(
  app: ExecutorApp,
  headers: Headers = {},
): Promise<{
  running: number;
  queued: number;
  jobs: Record<JobStatus, number>;
  cluster?: { running: number; queued: number };
}> {
  return (await app.inject({ method: 'GET', url: '/export/status', headers })).json();
}

/**
 * Exports running and waiting, as the backend under test counts them: this process's limiter,
 * or the whole cluster's. The cluster's settle a moment after a job's end is recorded (BullMQ
 * then moves it on), so there the expected counts are waited for, briefly.
 */
export async function expectExportCounts(
  app: ExecutorApp,
  expected: { running: number; queued: number },
): Promise<void> {
  const counts = async () => {
    const status = await exportStatus(app);
    const { running, queued } = clusterBackend ? (status.cluster ?? status) : status;
    return { running, queued };
  };
  if (clusterBackend) {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const now = await counts();
      if (now.running === expected.running && now.queued === expected.queued) return;
      await sleep(20);
    }
  }
  expect(await counts()).toEqual(expected);
}

export interface HeldSlot {
  /** Ends the upload and waits for its answer. */
  release(): Promise<void>;
}

/**
 * Takes an export slot with an NDJSON upload to /export/stream that does not end until
 * `release`: with EXPORT_MAX_CONCURRENT=1, jobs submitted meanwhile stay queued.
 */
export async function holdAnExportSlot(app: ExecutorApp, headers: Headers = {}): Promise<HeldSlot> {
  const before = (await exportStatus(app, headers)).running;
  const upload = new PassThrough();
  upload.write(ndjsonOf([{ id: 1 }]));
  const answer = app.inject({
    method: 'POST',
    url: '/export/stream?format=csv',
    headers: { ...headers, 'content-type': 'application/x-ndjson' },
    payload: upload,
  });
  await waitUntil(
    'the held upload is running',
    async () => (await exportStatus(app, headers)).running > before,
  );
  return {
    async release() {
      upload.end();
      await answer;
      // The client has its whole file a moment before the export's worker reports its end and
      // the slot is freed (in a cluster, a Redis call): wait for that, not just for the answer.
      await waitUntil('the held export has freed its slot', async () => {
        try {
          return (await exportStatus(app, headers)).running <= before;
        } catch (error) {
          // Closed meanwhile (a test of what a stopped process leaves): no slot to wait for.
          if ((error as { code?: unknown }).code === 'FST_ERR_REOPENED_CLOSE_SERVER') return true;
          throw error;
        }
      });
    },
  };
}

/** The job folders under `<EXPORT_DIR>/jobs`. */
export async function jobFolders(exportDirectory: string): Promise<string[]> {
  const local = await readdir(join(exportDirectory, 'jobs')).catch(() => []);
  return [...new Set([...local, ...(await bucketNames(exportDirectory, 'jobs/'))])];
}

/**
 * The names of the files in one job's folder and, under the S3 projects, of its objects in the
 * bucket, sorted; empty once both are gone.
 */
export async function jobFiles(exportDirectory: string, id: string): Promise<string[]> {
  const names = await readdir(join(exportDirectory, 'jobs', id)).catch(() => []);
  return [...names, ...(await bucketNames(exportDirectory, `jobs/${id}/`))].sort();
}

/**
 * Waits until a job's folder holds exactly `expected`. A job's status changes in memory first,
 * so its record may still be landing (as a `.partial`) when GET already shows the new status.
 */
export async function waitForJobFiles(
  exportDirectory: string,
  id: string,
  expected: readonly string[],
  timeoutMs = 5_000,
): Promise<void> {
  const wanted = [...expected].sort();
  const deadline = Date.now() + timeoutMs;
  let names: string[];
  do {
    names = await jobFiles(exportDirectory, id);
    if (names.join('/') === wanted.join('/')) return;
    await sleep(10);
  } while (Date.now() < deadline);
  throw new Error(
    `job ${id} did not hold ${wanted.join(', ')} within ${timeoutMs} ms (it holds ${names.join(', ') || 'nothing'})`,
  );
}
