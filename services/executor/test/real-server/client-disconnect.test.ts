import { describe, expect, it } from 'vitest';
import { httpJson } from './http-json.js';
import { startNdjsonUpload } from './ndjson-upload.js';
import { ndjsonLines, sampleRecords } from './sample-records.js';
import { exportFiles, partialFiles, startExecutor } from './spawn-executor.js';
import { tallyResponse } from './tally-response.js';
import { waitUntil, waitUntilIdle, waitUntilRunning } from './wait-until.js';

const streamPath = '/export/stream?format=csv&csvProfile=rfc4180';

describe('a client that disconnects mid-export', () => {
  it('frees the only slot of an NDJSON upload to /export/stream, so the next export is admitted', async () => {
    const executor = await startExecutor({ EXPORT_MAX_CONCURRENT: '1', EXPORT_MAX_QUEUE: '0' });
    const upload = startNdjsonUpload(executor.url, streamPath);
    await upload.send(ndjsonLines(1, 1_000));
    const response = await upload.response;
    expect(response.statusCode).toBe(200);
    // The upload stays open: without the disconnect this export would hold the slot forever.
    await waitUntilRunning(executor.url, 1);

    upload.request.destroy();

    const status = await waitUntilIdle(executor.url, 3_000);
    expect(status).toMatchObject({ running: 0, queued: 0 });
    const next = startNdjsonUpload(executor.url, streamPath);
    await next.send(ndjsonLines(1, 10));
    await next.end();
    const nextResponse = await next.response;
    expect(nextResponse.statusCode).toBe(200);
    expect((await tallyResponse(nextResponse)).lines).toBe(11);
    expect(partialFiles(executor.exportDirectory)).toEqual([]);
  }, 20_000);

  it('aborts an /export/run whose client leaves, leaving neither the file nor its .partial', async () => {
    const executor = await startExecutor({ EXPORT_MAX_CONCURRENT: '1' });
    // About a second of work on this machine, so the client can leave while it runs.
    const data = sampleRecords(200_000);
    const client = new AbortController();
    const run = httpJson(executor.url, '/export/run', {
      body: { format: 'csv', data },
      signal: client.signal,
    });
    run.catch(() => {});
    await waitUntil(
      'a .partial file in EXPORT_DIR',
      async () => (partialFiles(executor.exportDirectory).length > 0 ? true : undefined),
      { timeoutMs: 10_000, intervalMs: 10 },
    );

    client.abort();

    await expect(run).rejects.toThrow();
    await waitUntilIdle(executor.url, 3_000);
    expect(exportFiles(executor.exportDirectory)).toEqual([]);
    const next = await httpJson(executor.url, '/export/run', {
      body: { format: 'csv', data: sampleRecords(3) },
    });
    expect(next.status).toBe(200);
    expect(exportFiles(executor.exportDirectory)).toEqual([
      (next.json as { result: { filename: string } }).result.filename,
    ]);
  }, 20_000);
});
