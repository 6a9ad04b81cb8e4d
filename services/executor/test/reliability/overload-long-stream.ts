import type { IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { startNdjsonUpload } from '../real-server/ndjson-upload.js';
import { ndjsonLines } from '../real-server/sample-records.js';

const rowsPerBlock = 1_000;
// One block of NDJSON sent over and over: feeding five uploads costs this side nothing.
const block = ndjsonLines(1, rowsPerBlock);

export interface LongStreamResult {
  status: number;
  rowsSent: number;
  bytes: number;
  newlines: number;
  head: string;
  tail: string;
}

export interface LongStream {
  /** Bytes of the file received so far. */
  readonly receivedBytes: number;
  readonly rowsSent: number;
  /** The upload ran out of rows before `finish` was called: it no longer holds its slot open. */
  readonly exhausted: boolean;
  /** Resolves with the response once its status line arrives. */
  response: Promise<IncomingMessage>;
  /** Stops sending, ends the upload and reads the file to its end. */
  finish(): Promise<LongStreamResult>;
}

/**
 * An NDJSON upload to /export/stream that sends records as fast as the export takes them, up to
 * `maxRows`, until `finish`: an export that holds its slot, busy, for as long as the test wants.
 */
export function startLongStream(
  url: string,
  format: 'csv' | 'pdf',
  { maxRows, pauseMs = 0 }: { maxRows: number; pauseMs?: number },
): LongStream {
  const query = format === 'csv' ? 'format=csv&csvProfile=rfc4180' : 'format=pdf&title=Long';
  const upload = startNdjsonUpload(url, `/export/stream?${query}`);
  let stopping = false;
  let rowsSent = 0;
  let receivedBytes = 0;
  let newlines = 0;
  let head = '';
  let tail = '';
  const sending = (async () => {
    while (!stopping && rowsSent + rowsPerBlock <= maxRows) {
      await upload.send(block);
      rowsSent += rowsPerBlock;
      if (pauseMs > 0) await sleep(pauseMs);
    }
    await upload.end();
  })();
  const received = upload.response.then(
    (response) =>
      new Promise<number>((resolve, reject) => {
        response.on('data', (chunk: Buffer) => {
          receivedBytes += chunk.length;
          for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) {
            newlines += 1;
          }
          if (head.length < 64) head += chunk.subarray(0, 64).toString('latin1');
          tail = (tail + chunk.subarray(-64).toString('latin1')).slice(-64);
        });
        response.once('error', reject);
        response.once('end', () => resolve(response.statusCode ?? 0));
      }),
  );
  return {
    get receivedBytes() {
      return receivedBytes;
    },
    get rowsSent() {
      return rowsSent;
    },
    get exhausted() {
      return !stopping && rowsSent + rowsPerBlock > maxRows;
    },
    response: upload.response,
    async finish() {
      stopping = true;
      await sending;
      const status = await received;
      return { status, rowsSent, bytes: receivedBytes, newlines, head, tail };
    },
  };
}
