import { type Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { ndjsonLines, sampleRecords } from '../real-server/sample-records.js';

/** One export request of the storm: which API, how the records travel, which file. */
export interface ExportCall {
  api: 'run' | 'stream' | 'jobs';
  /** A JSON body, or an NDJSON upload with the options in the query string. */
  upload: 'json' | 'ndjson';
  format: 'csv' | 'pdf';
  /** The sample records 1 to `rows`. */
  rows: number;
}

export interface ExportAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Milliseconds from sending the request to its status line. */
  answeredMs: number;
}

export interface PostOptions {
  /** Sockets come from this agent; `false` gives each request its own, closed after it. */
  agent: Agent | false;
  /** Called with the socket the request was given. */
  onSocket?: (socket: Socket) => void;
  timeoutMs?: number;
}

export const pdfTitle = 'Overload';

/** The path, content type and bytes of `call`, made when it is sent. */
export function exportRequestOf(call: ExportCall): {
  path: string;
  contentType: string;
  payload: string;
} {
  if (call.upload === 'ndjson') {
    const options = call.format === 'csv' ? 'csvProfile=rfc4180' : `title=${pdfTitle}`;
    return {
      path: `/export/${call.api}?format=${call.format}&${options}`,
      contentType: 'application/x-ndjson',
      payload: ndjsonLines(1, call.rows),
    };
  }
  return {
    path: `/export/${call.api}`,
    contentType: 'application/json',
    payload: JSON.stringify({
      format: call.format,
      data: sampleRecords(call.rows),
      ...(call.format === 'pdf' ? { title: pdfTitle } : {}),
    }),
  };
}

/** POSTs `call` with a Content-Length and reads the whole answer. */
export function postExport(
  url: string,
  call: ExportCall,
  { agent, onSocket, timeoutMs = 60_000 }: PostOptions,
): Promise<ExportAnswer> {
  const { path, contentType, payload } = exportRequestOf(call);
  return new Promise((resolve, reject) => {
    const sentAt = performance.now();
    const request = httpRequest(new URL(path, url), {
      method: 'POST',
      agent,
      headers: {
        'content-type': contentType,
        'content-length': String(Buffer.byteLength(payload)),
      },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (onSocket) request.once('socket', onSocket);
    request.once('error', reject);
    request.once('response', (response) => {
      const answeredMs = performance.now() - sentAt;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('error', reject);
      response.once('end', () => {
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks),
          answeredMs,
        });
      });
    });
    request.end(payload);
  });
}

/** What a 429 must be: a numeric Retry-After of at least 1 s and the limiter's code. */
export function refusalProblem(answer: ExportAnswer): string | undefined {
  const retryAfter = Number(answer.headers['retry-after']);
  if (!Number.isInteger(retryAfter) || retryAfter < 1) {
    return `Retry-After ${String(answer.headers['retry-after'])}`;
  }
  let code: unknown;
  try {
    code = (JSON.parse(answer.body.toString('utf8')) as { code?: unknown }).code;
  } catch {
    return `a body that is not JSON: ${answer.body.toString('utf8').slice(0, 100)}`;
  }
  return code === 'LIMITER_QUEUE_FULL' ? undefined : `code ${String(code)}`;
}
