import { createHash } from 'node:crypto';
import { type Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'DELETE';
  url: URL;
  headers?: Record<string, string>;
  /** Sent as it is produced, at the pace the server reads it. */
  body?: AsyncIterable<string> | string;
  agent: Agent;
  timeoutMs: number;
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body's size, hash, line count and ends; the body itself is never kept. */
  bytes: number;
  sha256: string;
  lines: number;
  head: string;
  tail: string;
  /** The body as text, only while it is short (an error or a JSON answer). */
  text: string | undefined;
}

const keptTextBytes = 64 * 1024;
// Enough for a PDF's %%EOF and a zip's end of central directory (22 bytes, without a comment).
const tailBytes = 32;

/**
 * One HTTP request whose body streams out and whose answer streams in, digested on the way:
 * a million-row export costs the client no memory.
 */
export function sendHttpRequest({
  method,
  url,
  headers = {},
  body,
  agent,
  timeoutMs,
}: HttpRequest): Promise<HttpAnswer> {
  return new Promise<HttpAnswer>((resolve, reject) => {
    const request = httpRequest(url, { method, headers, agent, timeout: timeoutMs });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.on('response', (response) => {
      const hash = createHash('sha256');
      const kept: Buffer[] = [];
      let bytes = 0;
      let lines = 0;
      let head = Buffer.alloc(0);
      let tail = Buffer.alloc(0);
      response.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        bytes += chunk.length;
        for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines += 1;
        if (head.length < 16) head = Buffer.concat([head, chunk]).subarray(0, 16);
        tail = Buffer.concat([tail, chunk]).subarray(-tailBytes);
        if (bytes <= keptTextBytes) kept.push(chunk);
      });
      response.on('error', reject);
      response.on('aborted', () => reject(new Error('the server cut the answer short')));
      response.on('end', () => {
        if (!response.complete) {
          reject(new Error('the server cut the answer short'));
          return;
        }
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          bytes,
          sha256: hash.digest('hex'),
          lines,
          head: head.toString('latin1'),
          tail: tail.toString('latin1'),
          text: bytes <= keptTextBytes ? Buffer.concat(kept).toString('utf8') : undefined,
        });
      });
    });
    if (body === undefined) {
      request.end();
    } else if (typeof body === 'string') {
      request.end(body);
    } else {
      // A server that refuses early (429) may close before the upload ends: its answer is what
      // counts, so a broken upload only matters when no answer comes.
      pipeline(Readable.from(body), request).catch(() => {});
    }
  });
}

export function parseJson<Value>(answer: HttpAnswer): Value {
  if (answer.text === undefined) throw new Error(`expected JSON, got ${answer.bytes} bytes`);
  return JSON.parse(answer.text) as Value;
}
