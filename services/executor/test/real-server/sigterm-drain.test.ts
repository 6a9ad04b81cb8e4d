import { describe, expect, it } from 'vitest';
import { httpJson } from './http-json.js';
import { startNdjsonUpload } from './ndjson-upload.js';
import { ndjsonLines, sampleRecords } from './sample-records.js';
import { exitWithin, exportFiles, partialFiles, startExecutor } from './spawn-executor.js';
import { tallyResponse } from './tally-response.js';
import { waitUntil, waitUntilRunning } from './wait-until.js';

const streamPath = '/export/stream?format=csv&csvProfile=rfc4180';
const rowsBeforeSignal = 1_000;
const rowsInAll = 5_000;

async function startFedUpload(url: string) {
  const upload = startNdjsonUpload(url, streamPath);
  await upload.send(ndjsonLines(1, rowsBeforeSignal));
  const response = await upload.response;
  const tally = tallyResponse(response);
  // Asserted later; a cut connection must not be an unhandled rejection meanwhile.
  tally.catch(() => {});
  return { upload, response, tally };
}

describe('SIGTERM while exports run', () => {
  it('turns /ready to 503, refuses new exports with EXECUTOR_DRAINING, lets running ones finish, then exits 0', async () => {
    const executor = await startExecutor({ EXPORT_SHUTDOWN_TIMEOUT_S: '10' });
    const exports = [await startFedUpload(executor.url), await startFedUpload(executor.url)];
    for (const { response } of exports) expect(response.statusCode).toBe(200);
    await waitUntilRunning(executor.url, 2);

    executor.child.kill('SIGTERM');

    // The signal arrives asynchronously: poll until the process says it drains.
    const ready = await waitUntil(
      '/ready to answer 503',
      async () => {
        const answer = await httpJson(executor.url, '/ready');
        return answer.status === 503 ? answer : undefined;
      },
      { timeoutMs: 3_000 },
    );
    expect(ready.json).toMatchObject({ statusCode: 503, code: 'EXECUTOR_DRAINING' });
    const refused = await httpJson(executor.url, '/export/run', {
      body: { format: 'csv', data: [{ id: 1 }] },
    });
    expect(refused.status).toBe(503);
    expect(refused.json).toMatchObject({ statusCode: 503, code: 'EXECUTOR_DRAINING' });
    expect(executor.child.exitCode).toBeNull();

    for (const { upload } of exports) {
      await upload.send(ndjsonLines(rowsBeforeSignal + 1, rowsInAll));
      await upload.end();
    }
    for (const { tally } of exports) {
      const csv = await tally;
      expect(csv.lines).toBe(rowsInAll + 1);
      expect(csv.firstLine).toBe('id,timestamp,value,category,status');
      expect(csv.lastLine).toMatch(new RegExp(`^${rowsInAll},`));
    }

    expect(await exitWithin(executor, 5_000)).toBe(0);
    expect(executor.logMessages()).toContain('executor stopped');
  }, 20_000);

  it('aborts an upload that never ends once the shutdown timeout passes, and still exits 0', async () => {
    const executor = await startExecutor({ EXPORT_SHUTDOWN_TIMEOUT_S: '1' });
    const { response, tally } = await startFedUpload(executor.url);
    expect(response.statusCode).toBe(200);
    await waitUntilRunning(executor.url, 1);

    const signalledAt = performance.now();
    executor.child.kill('SIGTERM');

    expect(await exitWithin(executor, 5_000)).toBe(0);
    const secondsToExit = (performance.now() - signalledAt) / 1000;
    // It waited for the grace period, then did not wait for the upload.
    expect(secondsToExit).toBeGreaterThanOrEqual(0.9);
    expect(secondsToExit).toBeLessThan(4);
    // The file was incomplete: the connection was cut instead of ending it as if whole.
    await expect(tally).rejects.toThrow();
    expect(executor.logMessages()).toContain('executor stopped');
    expect(partialFiles(executor.exportDirectory)).toEqual([]);
  }, 20_000);

  it('removes the partial file of an /export/run it aborts at shutdown, leaving no file', async () => {
    const executor = await startExecutor({ EXPORT_SHUTDOWN_TIMEOUT_S: '0' });
    // About a second of work on this machine: still running when the signal comes.
    const data = sampleRecords(200_000);
    const run = httpJson(executor.url, '/export/run', { body: { format: 'csv', data } });
    run.catch(() => {});
    await waitUntil(
      'a .partial file in EXPORT_DIR',
      async () => (partialFiles(executor.exportDirectory).length > 0 ? true : undefined),
      { timeoutMs: 10_000, intervalMs: 10 },
    );

    executor.child.kill('SIGTERM');

    expect(await exitWithin(executor, 5_000)).toBe(0);
    const answer = await run.catch((error: unknown) => error);
    expect(answer).not.toMatchObject({ status: 200 });
    expect(exportFiles(executor.exportDirectory)).toEqual([]);
  }, 20_000);
});
