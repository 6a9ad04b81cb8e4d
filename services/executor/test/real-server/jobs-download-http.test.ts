import { describe, expect, it } from 'vitest';
import { sha256Of } from '../job-helpers.js';
import { type JobView, submitNdjsonJob, waitUntilJobSettles } from './job-client.js';
import { startExecutor } from './spawn-executor.js';

// A CSV of about 120 kB: small enough to hold whole here, large enough to slice.
const rowCount = 2_000;
// Each test starts its own process, which takes about a second.
const timeoutMs = 30_000;

/** Starts an executor with one done CSV job, and resolves with its download URL. */
async function startWithDoneJob(): Promise<{ job: JobView; downloadUrl: URL }> {
  const executor = await startExecutor();
  const accepted = await submitNdjsonJob(executor.url, 'format=csv', rowCount);
  const job = await waitUntilJobSettles(executor.url, accepted.id, { timeoutMs: 15_000 });
  expect(job).toMatchObject({ status: 'done', rows: rowCount });
  return { job, downloadUrl: new URL(job.links.download, executor.url) };
}

async function fetchBytes(url: URL, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

describe("an export job's download over HTTP, with Node's fetch", () => {
  it(
    'serves the first 100 bytes, a middle slice and a 50-byte suffix as 206s that together make the whole file',
    async () => {
      const { job, downloadUrl } = await startWithDoneJob();
      const size = job.bytes ?? 0;
      const whole = await fetchBytes(downloadUrl);
      expect(whole.response.status).toBe(200);
      expect(whole.bytes.length).toBe(size);

      const head = await fetchBytes(downloadUrl, { range: 'bytes=0-99' });
      const middle = await fetchBytes(downloadUrl, { range: `bytes=100-${size - 51}` });
      const tail = await fetchBytes(downloadUrl, { range: 'bytes=-50' });

      for (const [part, first, last] of [
        [head, 0, 99],
        [middle, 100, size - 51],
        [tail, size - 50, size - 1],
      ] as const) {
        expect(part.response.status).toBe(206);
        expect(part.response.headers.get('content-range')).toBe(`bytes ${first}-${last}/${size}`);
        expect(Number(part.response.headers.get('content-length'))).toBe(last - first + 1);
        expect(part.bytes.length).toBe(last - first + 1);
      }
      const reassembled = Buffer.concat([head.bytes, middle.bytes, tail.bytes]);
      expect(reassembled.equals(whole.bytes)).toBe(true);
      expect(sha256Of(reassembled)).toBe(job.sha256);
    },
    timeoutMs,
  );

  it(
    'answers If-None-Match with its ETag with a 304 that has no body',
    async () => {
      const { job, downloadUrl } = await startWithDoneJob();
      const first = await fetchBytes(downloadUrl);
      const entityTag = first.response.headers.get('etag');
      expect(entityTag).toBe(`"${job.sha256}"`);

      const again = await fetchBytes(downloadUrl, { 'if-none-match': entityTag ?? '' });

      expect(again.response.status).toBe(304);
      expect(again.response.headers.get('etag')).toBe(entityTag);
      expect(again.bytes.length).toBe(0);
    },
    timeoutMs,
  );

  it(
    'answers a range that starts past the end with 416 and content-range bytes */size',
    async () => {
      const { job, downloadUrl } = await startWithDoneJob();
      const size = job.bytes ?? 0;

      const answer = await fetchBytes(downloadUrl, { range: `bytes=${size}-` });

      expect(answer.response.status).toBe(416);
      expect(answer.response.headers.get('content-range')).toBe(`bytes */${size}`);
      expect(JSON.parse(answer.bytes.toString('utf8'))).toMatchObject({
        statusCode: 416,
        code: 'EXECUTOR_RANGE_NOT_SATISFIABLE',
      });
    },
    timeoutMs,
  );

  it(
    'answers HEAD with the headers of the download and no body',
    async () => {
      const { job, downloadUrl } = await startWithDoneJob();

      const response = await fetch(downloadUrl, { method: 'HEAD' });
      const body = Buffer.from(await response.arrayBuffer());

      expect(response.status).toBe(200);
      expect(response.headers.get('etag')).toBe(`"${job.sha256}"`);
      expect(response.headers.get('content-length')).toBe(String(job.bytes));
      expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(response.headers.get('accept-ranges')).toBe('bytes');
      expect(response.headers.get('content-disposition')).toMatch(/^attachment;/);
      expect(body.length).toBe(0);
    },
    timeoutMs,
  );
});
