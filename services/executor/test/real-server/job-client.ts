import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { finishedJobStatuses } from '../../src/jobs/job-record.js';
import type { JobView } from '../../src/schemas/job-schema.js';
import { httpJson } from './http-json.js';
import { startNdjsonUpload } from './ndjson-upload.js';
import { ndjsonChunks } from './sample-records.js';
import { waitUntil } from './wait-until.js';

export type { JobView };

/**
 * POSTs the sample records 1 to `rows` to /export/jobs as an NDJSON stream made lazily, with
 * the export options in `query` (`format=csv`), and resolves with the accepted job (the 202).
 */
export async function submitNdjsonJob(
  url: string,
  query: string,
  rows: number,
  headers: Record<string, string> = {},
): Promise<JobView> {
  const upload = startNdjsonUpload(url, `/export/jobs?${query}`, headers);
  const sent = pipeline(Readable.from(ndjsonChunks(rows)), upload.request);
  const [response] = await Promise.all([upload.response, sent]);
  const text = await readText(response);
  if (response.statusCode !== 202) {
    throw new Error(`POST /export/jobs?${query} answered ${response.statusCode}: ${text}`);
  }
  return JSON.parse(text) as JobView;
}

/** GET /export/jobs/:id, which must answer 200. */
export async function getJob(
  url: string,
  id: string,
  headers: Record<string, string> = {},
): Promise<JobView> {
  const answer = await httpJson(url, `/export/jobs/${id}`, { headers });
  if (answer.status !== 200) {
    throw new Error(`GET /export/jobs/${id} answered ${answer.status}: ${answer.text}`);
  }
  return answer.json as JobView;
}

export interface JobWaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  headers?: Record<string, string>;
  /** Called with every view polled, for a test that watches the job on its way. */
  onPoll?: (job: JobView) => void;
}

/** Polls the job until it is done, failed or cancelled, and resolves with that view. */
export function waitUntilJobSettles(
  url: string,
  id: string,
  { timeoutMs, intervalMs = 100, headers, onPoll }: JobWaitOptions,
): Promise<JobView> {
  return waitUntil(
    `job ${id} to be done, failed or cancelled`,
    async () => {
      const job = await getJob(url, id, headers);
      onPoll?.(job);
      return finishedJobStatuses.has(job.status) ? job : undefined;
    },
    { timeoutMs, intervalMs },
  );
}

/**
 * Polls the job until it runs and has written rows, so it is busy exporting, and resolves with
 * that view. Fails as soon as the job settles instead.
 */
export async function waitUntilJobExports(
  url: string,
  id: string,
  { timeoutMs, intervalMs = 20, headers }: JobWaitOptions,
): Promise<JobView> {
  const job = await waitUntil(
    `job ${id} to run with progress.rows > 0`,
    async () => {
      const polled = await getJob(url, id, headers);
      const exporting = polled.status === 'running' && polled.progress.rows > 0;
      return exporting || finishedJobStatuses.has(polled.status) ? polled : undefined;
    },
    { timeoutMs, intervalMs },
  );
  if (job.status !== 'running') {
    throw new Error(`job ${id} was ${job.status} before it was seen exporting`);
  }
  return job;
}

async function readText(response: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of response.setEncoding('utf8') as AsyncIterable<string>) text += chunk;
  return text;
}
