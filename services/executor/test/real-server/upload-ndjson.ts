import { request as httpRequest } from 'node:http';
import { ndjsonLines } from './sample-records.js';

// About 64 KiB of NDJSON, sent again and again.
const chunk = Buffer.from(ndjsonLines(1, 600));

export interface UploadOutcome {
  /** 0 when no answer arrived. */
  status: number;
  retryAfter: string | undefined;
  /** The JSON body's code, when there was one. */
  code: string | undefined;
  /** Milliseconds from the request to its status line. */
  answeredMs: number;
  /** Bytes of the upload written when the answer arrived. */
  sentWhenAnswered: number;
  /** A socket error, if any: the answer was lost or cut. */
  error: string | undefined;
}

/**
 * POSTs up to `totalBytes` of NDJSON to `path` on its own connection (`Connection: close`), as
 * fast as the connection takes it, and reads the answer. Like any Node client, it stops sending
 * once the whole answer has arrived (the client then closes the connection).
 */
export function uploadNdjson(
  url: string,
  path: string,
  totalBytes: number,
): Promise<UploadOutcome> {
  return new Promise((resolve) => {
    const startedAt = performance.now();
    const outcome: UploadOutcome = {
      status: 0,
      retryAfter: undefined,
      code: undefined,
      answeredMs: Number.NaN,
      sentWhenAnswered: 0,
      error: undefined,
    };
    let sent = 0;
    let settled = false;
    const settle = () => {
      settled = true;
      resolve(outcome);
    };
    const request = httpRequest(new URL(path, url), {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/x-ndjson' },
      signal: AbortSignal.timeout(30_000),
    });
    request.once('error', (error: NodeJS.ErrnoException) => {
      outcome.error = error.code ?? error.message;
      settle();
    });
    request.once('close', settle);
    request.once('response', (response) => {
      outcome.status = response.statusCode ?? 0;
      outcome.answeredMs = performance.now() - startedAt;
      outcome.sentWhenAnswered = sent;
      outcome.retryAfter = response.headers['retry-after'];
      let text = '';
      response.setEncoding('utf8').on('data', (piece: string) => {
        text += piece;
      });
      response.once('error', (error: NodeJS.ErrnoException) => {
        outcome.error = error.code ?? error.message;
      });
      response.once('end', () => {
        try {
          outcome.code = (JSON.parse(text) as { code?: string }).code;
        } catch {
          outcome.code = undefined;
        }
        settle();
      });
    });
    const writeMore = () => {
      while (!settled && sent < totalBytes && !request.destroyed) {
        sent += chunk.length;
        if (!request.write(chunk)) {
          request.once('drain', writeMore);
          return;
        }
      }
      if (!settled && !request.destroyed) request.end();
    };
    writeMore();
  });
}
