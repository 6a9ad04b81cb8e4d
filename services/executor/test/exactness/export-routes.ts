import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ExportFormat } from '@org/export-core';
import type { ExecutorApp } from '../../src/app.js';
import { buildTestAppWithFolder } from '../build-test-app.js';
import { waitForJobStatus } from '../job-helpers.js';

/**
 * One export as a client sends it: records as their JSON text (so a number no double holds
 * stays as sent), options as JSON values. Every route gets the same request.
 */
export interface ExportCall {
  format: ExportFormat;
  /** Each record's JSON text, as it is sent: bytes for a record that is not valid UTF-8. */
  records: readonly (string | Buffer)[];
  options?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** What a route answered: the file, or the error a client sees (status 0: a failed job's). */
export type RouteAnswer =
  | { ok: true; file: Buffer }
  | { ok: false; statusCode: number; code: string; message: string };

export interface ExportRoute {
  name: string;
  /** Whether the route sees the whole input before it writes (a JSON body, a spooled job). */
  knowsWholeInput: boolean;
  call(app: ExecutorApp, exportDirectory: string, call: ExportCall): Promise<RouteAnswer>;
}

function jsonBody({ format, records, options = {} }: ExportCall): Buffer {
  const fields = Object.entries({ format, ...options }).map(
    ([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`,
  );
  const parts = records.flatMap((record, index) => (index === 0 ? [record] : [',', record]));
  return bytesOf([`{${fields.join(',')},"data":[`, ...parts, ']}']);
}

function bytesOf(parts: readonly (string | Buffer)[]): Buffer {
  return Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : part)));
}

function ndjsonUrl(path: string, { format, options = {} }: ExportCall): string {
  const query = new URLSearchParams({ format });
  for (const [key, value] of Object.entries(options)) {
    query.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return `${path}?${query}`;
}

const ndjsonBody = ({ records }: ExportCall) =>
  bytesOf(records.flatMap((record) => [record, '\n']));

function failed(response: { statusCode: number; json: () => unknown }): RouteAnswer {
  const { code, message } = response.json() as { code: string; message: string };
  return { ok: false, statusCode: response.statusCode, code, message };
}

async function jobFile(app: ExecutorApp, response: Awaited<ReturnType<ExecutorApp['inject']>>) {
  if (response.statusCode !== 202) return failed(response);
  const job = await waitForJobStatus(app, response.json().id, ['done', 'failed'], {
    timeoutMs: 20_000,
  });
  if (job.status === 'failed') {
    return {
      ok: false,
      statusCode: 0,
      code: job.error?.code ?? '',
      message: job.error?.message ?? '',
    } as const;
  }
  const download = await app.inject({ method: 'GET', url: `/export/jobs/${job.id}/download` });
  return { ok: true, file: download.rawPayload } as const;
}

/** The call as one POST to `path`: a JSON body, or an NDJSON upload with its options in the query. */
function send(app: ExecutorApp, path: string, body: 'json' | 'ndjson', call: ExportCall) {
  const json = body === 'json';
  return app.inject({
    method: 'POST',
    url: json ? path : ndjsonUrl(path, call),
    headers: {
      'content-type': json ? 'application/json' : 'application/x-ndjson',
      ...call.headers,
    },
    payload: json ? jsonBody(call) : ndjsonBody(call),
  });
}

function streamedFile(response: Awaited<ReturnType<ExecutorApp['inject']>>): RouteAnswer {
  return response.statusCode === 200 ? { ok: true, file: response.rawPayload } : failed(response);
}

export const exportRoutes: readonly ExportRoute[] = [
  {
    name: 'POST /export/run (JSON)',
    knowsWholeInput: true,
    async call(app, exportDirectory, call) {
      const response = await send(app, '/export/run', 'json', call);
      if (response.statusCode !== 200) return failed(response);
      const { filename } = response.json().result;
      return { ok: true, file: await readFile(join(exportDirectory, filename)) };
    },
  },
  {
    name: 'POST /export/stream (JSON)',
    knowsWholeInput: true,
    call: async (app, _exportDirectory, call) =>
      streamedFile(await send(app, '/export/stream', 'json', call)),
  },
  {
    name: 'POST /export/stream (NDJSON)',
    knowsWholeInput: false,
    call: async (app, _exportDirectory, call) =>
      streamedFile(await send(app, '/export/stream', 'ndjson', call)),
  },
  {
    name: 'POST /export/jobs (JSON)',
    knowsWholeInput: true,
    call: async (app, _exportDirectory, call) =>
      jobFile(app, await send(app, '/export/jobs', 'json', call)),
  },
  {
    name: 'POST /export/jobs (NDJSON)',
    knowsWholeInput: true,
    call: async (app, _exportDirectory, call) =>
      jobFile(app, await send(app, '/export/jobs', 'ndjson', call)),
  },
];

/** Sends the same call through every route of a new app. */
export async function throughEveryRoute(
  call: ExportCall,
): Promise<Array<{ route: ExportRoute; answer: RouteAnswer }>> {
  const { app, exportDirectory } = await buildTestAppWithFolder();
  const answers = [];
  for (const route of exportRoutes) {
    answers.push({ route, answer: await route.call(app, exportDirectory, call) });
  }
  return answers;
}

/** The file of an answer that must have succeeded. */
export function fileOf({ route, answer }: { route: ExportRoute; answer: RouteAnswer }): Buffer {
  if (!answer.ok) {
    throw new Error(
      `${route.name} answered ${answer.statusCode} ${answer.code}: ${answer.message}`,
    );
  }
  return answer.file;
}

const run = promisify(execFile);

/** A PDF's text as poppler's pdftotext reads it, in reading order. */
export async function pdfText(file: Buffer): Promise<string> {
  const child = run('pdftotext', ['-layout', '-enc', 'UTF-8', '-', '-'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  child.child.stdin?.end(file);
  try {
    return (await child).stdout;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
    throw new Error('pdftotext is not installed: apt-get install poppler-utils', { cause: error });
  }
}
