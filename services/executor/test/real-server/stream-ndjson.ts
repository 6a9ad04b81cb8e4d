import { request as httpRequest } from 'node:http';
import { ndjsonChunks } from './sample-records.js';

/** An upload made in advance, so that sending it costs this process no more than writes. */
export function ndjsonUpload(rows: number): Buffer[] {
  return [...ndjsonChunks(rows)].map((chunk) => Buffer.from(chunk));
}

export interface StreamedExport {
  status: number;
  bytes: number;
  /** The first bytes of the answer: `%PDF-` for a PDF. */
  head: string;
}

/**
 * POSTs `rows` NDJSON sample records (or an upload made in advance) to /export/stream, 1,000
 * at a time with `pauseMs` between,
 * and reads the file to its end.
 */
export function streamNdjsonExport(
  url: string,
  query: string,
  rows: number | Buffer[],
  pauseMs = 0,
): Promise<StreamedExport> {
  const chunks = typeof rows === 'number' ? ndjsonChunks(rows) : rows;
  return new Promise((resolve, reject) => {
    const request = httpRequest(new URL(`/export/stream?${query}`, url), {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/x-ndjson' },
    });
    request.once('error', reject);
    request.once('response', (response) => {
      let bytes = 0;
      let head = '';
      response.on('data', (chunk: Buffer) => {
        if (head.length < 8) head += chunk.subarray(0, 8).toString('latin1');
        bytes += chunk.length;
      });
      response.once('end', () => resolve({ status: response.statusCode ?? 0, bytes, head }));
      response.once('error', reject);
    });
    (async () => {
      for (const chunk of chunks) {
        if (!request.write(chunk)) await new Promise((drained) => request.once('drain', drained));
        if (pauseMs > 0) await new Promise((paused) => setTimeout(paused, pauseMs));
      }
      request.end();
    })().catch(reject);
  });
}
