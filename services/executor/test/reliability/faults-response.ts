import type { IncomingMessage } from 'node:http';

export interface ReadResponse {
  status: number;
  bytes: number;
  /** Newline bytes in the body. */
  newlines: number;
  /** The body arrived whole: for a chunked body, its last chunk came; false when it was cut. */
  complete: boolean;
  /** The first 64 KiB of the body, as text, to read an error or look for stray bytes. */
  head: string;
}

const headBytes = 64 * 1024;

/**
 * Reads a response until it ends or its connection is cut, never failing: a test asks whether
 * the transfer was complete instead of catching the error.
 */
export function readResponse(response: IncomingMessage): Promise<ReadResponse> {
  return new Promise((resolve) => {
    let bytes = 0;
    let newlines = 0;
    const head: Buffer[] = [];
    let headLength = 0;
    response.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) {
        newlines += 1;
      }
      if (headLength < headBytes) {
        head.push(chunk.subarray(0, headBytes - headLength));
        headLength += Math.min(chunk.length, headBytes - headLength);
      }
    });
    response.on('error', () => {});
    // Flowing again, also for a response the caller paused.
    response.resume();
    response.once('close', () => {
      resolve({
        status: response.statusCode ?? 0,
        bytes,
        newlines,
        complete: response.complete,
        head: Buffer.concat(head).toString('utf8'),
      });
    });
  });
}
