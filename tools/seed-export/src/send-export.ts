import type { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { jsonBodyChunks, ndjsonChunks } from './generate-records.js';
import { type HttpAnswer, parseJson, sendHttpRequest } from './http-request.js';

export const exportModes = ['run', 'stream', 'jobs'] as const;
export type ExportMode = (typeof exportModes)[number];
export const exportFormats = ['csv', 'pdf', 'xlsx'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export interface ExportTarget {
  baseUrl: URL;
  token: string | undefined;
  agent: Agent;
  timeoutMs: number;
}

export interface ExportOrder {
  mode: ExportMode;
  format: ExportFormat;
  rows: number;
}

/** ok: the file was made and checked; rejected: a 429 (expected under load); error: anything else. */
export type ExportOutcome = 'ok' | 'rejected' | 'error';

export interface ExportAttempt {
  outcome: ExportOutcome;
  status: number;
  latencyMs: number;
  rows: number;
  bytes: number;
  /** Why an attempt is an error. */
  message?: string;
}

const jobPollMs = 200;

/** One export through the chosen API, checked as far as the API allows. */
export async function sendExport(target: ExportTarget, order: ExportOrder): Promise<ExportAttempt> {
  const startedAt = performance.now();
  const attempt = (fields: Omit<ExportAttempt, 'latencyMs'>): ExportAttempt => ({
    ...fields,
    latencyMs: performance.now() - startedAt,
  });
  try {
    const answer =
      order.mode === 'run'
        ? await viaRun(target, order)
        : order.mode === 'stream'
          ? await viaStream(target, order)
          : await viaJobs(target, order);
    return attempt(answer);
  } catch (error) {
    return attempt({
      outcome: 'error',
      status: 0,
      rows: 0,
      bytes: 0,
      message: (error as Error).message,
    });
  }
}

type Checked = Omit<ExportAttempt, 'latencyMs'>;

async function viaRun(target: ExportTarget, { format, rows }: ExportOrder): Promise<Checked> {
  const answer = await call(target, 'POST', '/export/run', {
    body: jsonBodyChunks(rows, { format, title: `Seed ${rows} ${format}` }),
    contentType: 'application/json',
  });
  if (answer.status !== 200) return refusalOrError(answer);
  const { result } = parseJson<{ result: { rows: number; bytes: number } }>(answer);
  if (result.rows !== rows) return failed(answer, `the server wrote ${result.rows} rows`);
  return { outcome: 'ok', status: 200, rows: result.rows, bytes: result.bytes };
}

async function viaStream(target: ExportTarget, { format, rows }: ExportOrder): Promise<Checked> {
  const answer = await call(target, 'POST', `/export/stream?format=${format}&title=Seed`, {
    body: ndjsonChunks(rows),
    contentType: 'application/x-ndjson',
  });
  if (answer.status !== 200) return refusalOrError(answer);
  const problem = fileProblem(answer, format, rows);
  if (problem) return failed(answer, problem);
  return { outcome: 'ok', status: 200, rows, bytes: answer.bytes };
}

interface JobView {
  id: string;
  status: string;
  rows: number | null;
  bytes: number | null;
  sha256: string | null;
  error: { code: string; message: string } | null;
}

async function viaJobs(target: ExportTarget, { format, rows }: ExportOrder): Promise<Checked> {
  const created = await call(target, 'POST', `/export/jobs?format=${format}&title=Seed`, {
    body: ndjsonChunks(rows),
    contentType: 'application/x-ndjson',
  });
  if (created.status !== 202) return refusalOrError(created);
  const { id } = parseJson<JobView>(created);
  const deadline = performance.now() + target.timeoutMs;
  let job: JobView;
  for (;;) {
    const polled = await call(target, 'GET', `/export/jobs/${id}`);
    if (polled.status !== 200) return failed(polled, `polling job ${id} answered`);
    job = parseJson<JobView>(polled);
    if (job.status === 'done') break;
    if (job.status === 'failed' || job.status === 'cancelled') {
      return failed(polled, `job ${id} ${job.status}: ${job.error?.code ?? ''}`);
    }
    if (performance.now() > deadline) return failed(polled, `job ${id} still ${job.status}`);
    await sleep(jobPollMs);
  }
  const download = await call(target, 'GET', `/export/jobs/${id}/download`);
  if (download.status !== 200) return failed(download, `download of job ${id} answered`);
  if (download.sha256 !== job.sha256 || download.bytes !== job.bytes) {
    return failed(download, `job ${id}'s download does not match its sha256 and size`);
  }
  if (download.headers.etag !== `"${job.sha256}"`) {
    return failed(download, `job ${id}'s ETag is not its sha256`);
  }
  const problem = fileProblem(download, format, rows);
  if (problem) return failed(download, problem);
  if (job.rows !== rows) return failed(download, `job ${id} exported ${job.rows} rows`);
  return { outcome: 'ok', status: 200, rows, bytes: download.bytes };
}

function call(
  target: ExportTarget,
  method: 'GET' | 'POST',
  path: string,
  upload?: { body: AsyncIterable<string>; contentType: string },
): Promise<HttpAnswer> {
  const headers: Record<string, string> = {};
  if (target.token) headers.authorization = `Bearer ${target.token}`;
  if (upload) headers['content-type'] = upload.contentType;
  return sendHttpRequest({
    method,
    url: new URL(path, target.baseUrl),
    headers,
    body: upload?.body,
    agent: target.agent,
    timeoutMs: target.timeoutMs,
  });
}

/** What is wrong with a downloaded file, if anything. */
function fileProblem(answer: HttpAnswer, format: ExportFormat, rows: number): string | undefined {
  if (format === 'pdf') {
    if (!answer.head.startsWith('%PDF-')) return 'the PDF does not start with %PDF-';
    if (!answer.tail.trimEnd().endsWith('%%EOF')) return 'the PDF does not end with %%EOF';
    return undefined;
  }
  if (format === 'xlsx') {
    // A zip: a local file header first, the end of its central directory last.
    if (!answer.head.startsWith('PK\x03\x04')) return 'the XLSX does not start as a zip';
    if (!answer.tail.includes('PK\x05\x06')) return 'the XLSX does not end as a zip';
    return undefined;
  }
  // A header line, then one line per record: the generated records hold no line breaks.
  if (answer.lines !== rows + 1) return `the CSV has ${answer.lines} lines for ${rows} rows`;
  return undefined;
}

function refusalOrError(answer: HttpAnswer): Checked {
  if (answer.status === 429) return { outcome: 'rejected', status: 429, rows: 0, bytes: 0 };
  return failed(answer, 'the server answered');
}

function failed(answer: HttpAnswer, message: string): Checked {
  const detail = answer.text ? `: ${answer.text.slice(0, 300)}` : '';
  return {
    outcome: 'error',
    status: answer.status,
    rows: 0,
    bytes: 0,
    message: `${message} (HTTP ${answer.status})${detail}`,
  };
}
