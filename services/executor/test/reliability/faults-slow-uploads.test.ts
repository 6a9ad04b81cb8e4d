import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { httpJson } from '../real-server/http-json.js';
import { partialFilesUnder } from '../real-server/job-folders.js';
import { type NdjsonUpload, startNdjsonUpload } from '../real-server/ndjson-upload.js';
import { sampleRecords } from '../real-server/sample-records.js';
import { exportFiles, startExecutor } from '../real-server/spawn-executor.js';
import { waitUntilIdle, waitUntilRunning } from '../real-server/wait-until.js';
import { waitForLogMessage } from './faults-logs.js';
import { outcomeCounts } from './faults-metrics.js';
import { readResponse } from './faults-response.js';

// Fault: uploads that trickle into /export/stream, a byte every two seconds. They hold every
// export slot while their body arrives, and are neither idle nor late for the request timeout
// (minutes by default). Past the grace period (EXPORT_MIN_UPLOAD_GRACE_S), an upload slower than
// EXPORT_MIN_UPLOAD_BYTES_PER_S is cut: 408, its export aborted, its slot freed for bob.

const trickleEveryMs = 2_000;
const slowLine = `${JSON.stringify({ id: 1, note: 'sent a byte every two seconds' })}\n`;
// What sending the whole line would take: the bound bob's answer must beat.
const trickleTakesMs = slowLine.length * trickleEveryMs;

/** Sends `text` a byte every `trickleEveryMs` until the upload is cut or `stop` says so. */
async function trickle(upload: NdjsonUpload, stop: () => boolean): Promise<void> {
  for (const byte of slowLine) {
    if (stop()) return;
    try {
      await upload.send(byte);
    } catch {
      return; // Cut.
    }
    await sleep(trickleEveryMs);
  }
}

describe('uploads that trickle into /export/stream while every slot is theirs', () => {
  it('are cut with 408 EXECUTOR_UPLOAD_TOO_SLOW after the grace period, and bob is served', async () => {
    const executor = await startExecutor({
      EXPORT_MAX_CONCURRENT: '5',
      EXPORT_MIN_UPLOAD_BYTES_PER_S: '100',
      EXPORT_MIN_UPLOAD_GRACE_S: '2',
    });
    const { url, exportDirectory } = executor;
    const startedAt = Date.now();
    const uploads = Array.from({ length: 5 }, () =>
      startNdjsonUpload(url, '/export/stream?format=csv'),
    );
    let answered = false;
    const sending = uploads.map((upload) => trickle(upload, () => answered));
    await waitUntilRunning(url, 5);

    // Queued behind the five: served once their slots are freed.
    const bobs = httpJson(url, '/export/run', {
      body: { format: 'csv', user: 'bob', data: sampleRecords(5) },
      timeoutMs: trickleTakesMs,
    });
    const answers = await Promise.all(
      uploads.map(async (upload) => readResponse(await upload.response)),
    );
    const cutAfterMs = Date.now() - startedAt;
    const bobsAnswer = await bobs;
    const bobServedAfterMs = Date.now() - startedAt;
    answered = true;
    await Promise.all(sending);

    for (const answer of answers) {
      expect(answer.status).toBe(408);
      expect(JSON.parse(answer.head)).toEqual({
        statusCode: 408,
        code: 'EXECUTOR_UPLOAD_TOO_SLOW',
        error: 'Request Timeout',
        message: expect.stringContaining('slower than 100 bytes a second'),
      });
    }
    expect(cutAfterMs).toBeGreaterThanOrEqual(2_000);
    expect(bobsAnswer.status).toBe(200);
    // Well before the tricklers would have finished (and the request timeout, minutes away).
    expect(bobServedAfterMs).toBeLessThan(trickleTakesMs / 2);
    expect(await waitUntilIdle(url, 3_000)).toMatchObject({ running: 0, queued: 0 });
    // Cut like a client the request timeout cuts: cancelled, never a failure.
    expect(await outcomeCounts(url)).toMatchObject({ success: 1, cancelled: 5, failure: 0 });
    expect(exportFiles(exportDirectory)).toHaveLength(1);
    expect(partialFilesUnder(exportDirectory)).toEqual([]);
    await waitForLogMessage(
      executor,
      'upload cut: slower than the minimum upload rate while holding an export slot',
    );
    console.log(
      `5 uploads at a byte every ${trickleEveryMs} ms: cut after ${cutAfterMs} ms, ` +
        `bob's /export/run answered after ${bobServedAfterMs} ms (the uploads would take ${trickleTakesMs} ms)`,
    );
  });

  it('are left alone past the grace period with EXPORT_MIN_UPLOAD_BYTES_PER_S=0', async () => {
    const executor = await startExecutor({
      EXPORT_MIN_UPLOAD_BYTES_PER_S: '0',
      EXPORT_MIN_UPLOAD_GRACE_S: '1',
    });
    const { url } = executor;
    const upload = startNdjsonUpload(url, '/export/stream?format=csv');
    await upload.send('{"id":1');
    await waitUntilRunning(url, 1);
    for (const byte of '}\n{"id":2}') {
      await sleep(500);
      await upload.send(byte);
    }
    await upload.end();
    const answer = await readResponse(await upload.response);
    expect(answer.status).toBe(200);
    expect(answer.complete).toBe(true);
  });
});
