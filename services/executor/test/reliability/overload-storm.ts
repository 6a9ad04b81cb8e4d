import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Of } from '../job-helpers.js';
import { digestDownload } from '../real-server/digest-download.js';
import { type JobView, waitUntilJobSettles } from '../real-server/job-client.js';
import type { ExportAnswer, ExportCall } from './overload-client.js';
import { csvProblem, hasQpdf, pdfProblem, qpdfCheck } from './overload-file-checks.js';

/** The storm's mix: every API, both formats, JSON bodies and NDJSON uploads. */
const stormShapes: ReadonlyArray<Omit<ExportCall, 'rows'>> = [
  { api: 'run', upload: 'json', format: 'csv' },
  { api: 'run', upload: 'json', format: 'pdf' },
  { api: 'stream', upload: 'json', format: 'csv' },
  { api: 'stream', upload: 'json', format: 'pdf' },
  { api: 'stream', upload: 'ndjson', format: 'csv' },
  { api: 'stream', upload: 'ndjson', format: 'pdf' },
  { api: 'jobs', upload: 'json', format: 'csv' },
  { api: 'jobs', upload: 'json', format: 'pdf' },
  { api: 'jobs', upload: 'ndjson', format: 'csv' },
  { api: 'jobs', upload: 'ndjson', format: 'pdf' },
];

/** Request `index` of the storm: the shapes in turn, 200 to 2,000 rows, the same every run. */
export function stormCall(index: number): ExportCall {
  const shape = stormShapes[index % stormShapes.length];
  if (!shape) throw new Error(`no storm shape for ${index}`);
  return { ...shape, rows: 200 + ((index * 7_919) % 1_801) };
}

export interface StormAnswer {
  call: ExportCall;
  answer: ExportAnswer;
}

const describeCall = ({ api, upload, format, rows }: ExportCall) =>
  `${api} ${upload} ${format} of ${rows} rows`;

/** What an accepted export answers with: 202 for a job, 200 for the others. */
export function acceptedStatusOf(call: ExportCall): number {
  return call.api === 'jobs' ? 202 : 200;
}

/**
 * Why the files of the accepted exports are not whole, one line each (empty when they all
 * are): a run's file in the export folder must have the bytes and sha256 of its answer, a
 * streamed body must be the complete CSV or PDF, a job must end done and download as the file
 * its sha256 and ETag name. Waits for the jobs to finish, at most `jobTimeoutMs` each.
 */
export async function acceptedFileProblems(
  url: string,
  exportDirectory: string,
  accepted: readonly StormAnswer[],
  jobTimeoutMs = 60_000,
): Promise<string[]> {
  const problems: string[] = [];
  const note = (call: ExportCall, problem: string | undefined) => {
    if (problem !== undefined) problems.push(`${describeCall(call)}: ${problem}`);
  };
  const contentProblem = (call: ExportCall, file: Buffer) =>
    call.format === 'csv' ? csvProblem(file.toString('utf8'), call.rows) : pdfProblem(file);
  const streamedPdfs: Buffer[] = [];
  for (const { call, answer } of accepted) {
    if (call.api === 'run') {
      const { result } = JSON.parse(answer.body.toString('utf8')) as {
        result: { filename: string; bytes: number; rows: number; sha256: string };
      };
      const file = readFileSync(join(exportDirectory, result.filename));
      if (result.rows !== call.rows) note(call, `answered ${result.rows} rows`);
      if (file.length !== result.bytes)
        note(call, `${file.length} bytes, answered ${result.bytes}`);
      if (sha256Of(file) !== result.sha256) note(call, 'the file has another sha256');
      note(call, contentProblem(call, file));
    } else if (call.api === 'stream') {
      if (typeof answer.headers['x-export-id'] !== 'string') note(call, 'no X-Export-Id');
      note(call, contentProblem(call, answer.body));
      if (call.format === 'pdf') streamedPdfs.push(answer.body);
    } else {
      const submitted = JSON.parse(answer.body.toString('utf8')) as JobView;
      const job = await waitUntilJobSettles(url, submitted.id, { timeoutMs: jobTimeoutMs });
      if (job.status !== 'done' || job.rows !== call.rows) {
        note(call, `job ${job.status} with ${job.rows} rows, ${JSON.stringify(job.error)}`);
        continue;
      }
      const download = await digestDownload(url, job.links.download);
      if (download.status !== 200) note(call, `download answered ${download.status}`);
      if (download.bytes !== job.bytes)
        note(call, `downloaded ${download.bytes} of ${job.bytes} bytes`);
      if (download.sha256 !== job.sha256) note(call, 'the download has another sha256');
      if (download.headers.etag !== `"${job.sha256}"`) note(call, `ETag ${download.headers.etag}`);
    }
  }
  // Beyond its first and last bytes: the structure of a couple of them, when qpdf is here.
  if (hasQpdf()) {
    for (const pdf of streamedPdfs.slice(0, 2)) {
      const checked = qpdfCheck(pdf);
      if (checked.status !== 0) problems.push(`qpdf --check: ${checked.output.slice(0, 300)}`);
    }
  }
  return problems;
}
