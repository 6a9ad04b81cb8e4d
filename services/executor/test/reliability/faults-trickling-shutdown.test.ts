import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { getJob, submitNdjsonJob, waitUntilJobSettles } from '../real-server/job-client.js';
import { type NdjsonUpload, startNdjsonUpload } from '../real-server/ndjson-upload.js';
import { ndjsonLines } from '../real-server/sample-records.js';
import { type ExecutorProcess, exitWithin, startExecutor } from '../real-server/spawn-executor.js';
import { waitUntil, waitUntilRunning } from '../real-server/wait-until.js';
import { logEntries } from './faults-logs.js';
import { readResponse } from './faults-response.js';

// Fault: a client that trickles its upload, a line a second, and never ends it, when SIGTERM
// comes. It is never idle and the request timeout is minutes away, so only the shutdown bounds
// it: at the end of the grace period (EXPORT_SHUTDOWN_TIMEOUT_S) its upload is cut, and the
// process exits a moment later whatever the client does next.

const shutdownTimeoutS = 3;
// What the process may take past the grace period: answering the cut upload, closing.
const exitMarginMs = 5_000;
const environment = { EXPORT_SHUTDOWN_TIMEOUT_S: String(shutdownTimeoutS) };
const pinoError = 50;

/**
 * Sends `sent` records at once, then one a second until the upload fails (its connection is
 * closed), or `stop`; resolves with the records sent.
 */
async function trickleLines(upload: NdjsonUpload, stop: () => boolean, sent = 0): Promise<number> {
  if (sent > 0) await upload.send(ndjsonLines(1, sent));
  while (!stop()) {
    try {
      await upload.send(ndjsonLines(sent + 1, sent + 1));
    } catch {
      return sent; // Cut.
    }
    sent += 1;
    await sleep(1_000);
  }
  return sent;
}

/** SIGTERM, then the exit code and the seconds it took. */
async function signalAndTimeExit(executor: ExecutorProcess) {
  const signalledAt = performance.now();
  executor.child.kill('SIGTERM');
  const code = await exitWithin(executor, shutdownTimeoutS * 1000 + exitMarginMs);
  return { code, seconds: (performance.now() - signalledAt) / 1000 };
}

function jobFolders(exportDirectory: string): string[] {
  return readdirSync(join(exportDirectory, 'jobs'));
}

describe('SIGTERM while a client trickles its upload', () => {
  it('cuts an NDJSON job upload at the end of the grace period with a 503 EXECUTOR_DRAINING, logged at info, keeps no job, and exits 0', async () => {
    const executor = await startExecutor(environment);
    const upload = startNdjsonUpload(executor.url, '/export/jobs?format=csv');
    // The client errors once its connection closes; the test reads the answer instead.
    upload.request.on('error', () => {});
    let done = false;
    const sending = trickleLines(upload, () => done);
    // Spooling: its job folder exists, with no record yet.
    await waitUntil(
      'the upload spooled into a job folder',
      async () => (jobFolders(executor.exportDirectory).length === 1 ? true : undefined),
      { timeoutMs: 5_000 },
    );

    // Together: a process that never exits fails the test there, not on a missing answer.
    const [answer, { code, seconds }] = await Promise.all([
      upload.response.then(readResponse),
      signalAndTimeExit(executor),
    ]);
    done = true;
    const linesSent = await sending;

    // The answer could still be sent: nothing of the response had been written yet.
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.head)).toMatchObject({
      statusCode: 503,
      code: 'EXECUTOR_DRAINING',
      error: 'Service Unavailable',
      message:
        'the executor is shutting down and accepts no new exports; retry on another instance',
    });
    expect(code).toBe(0);
    // It waited the grace period for the upload, then not for the client.
    expect(seconds).toBeGreaterThanOrEqual(shutdownTimeoutS - 0.1);
    expect(seconds).toBeLessThan(shutdownTimeoutS + exitMarginMs / 1000);
    expect(linesSent).toBeGreaterThanOrEqual(shutdownTimeoutS);
    // Cut before it was accepted: no folder without an accepted record.
    expect(jobFolders(executor.exportDirectory)).toEqual([]);
    const entries = logEntries(executor);
    expect(entries).toContainEqual(
      expect.objectContaining({
        level: 30,
        msg: 'upload cut: still arriving when the shutdown timeout passed',
        code: 'EXECUTOR_DRAINING',
      }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ level: 30, code: 'EXECUTOR_DRAINING', statusCode: 503 }),
    );
    expect(entries.filter((entry) => entry.level >= pinoError)).toEqual([]);
    expect(executor.logMessages()).toContain('executor stopped');
    console.log(
      `trickled job upload: ${linesSent} lines, 503 and exit 0 ${seconds.toFixed(2)} s after SIGTERM (grace ${shutdownTimeoutS} s)`,
    );
  }, 30_000);

  it('cuts a JSON body to /export/run still arriving at the end of the grace period with a 503 EXECUTOR_DRAINING, and exits 0', async () => {
    const executor = await startExecutor(environment);
    const upload = startNdjsonUpload(executor.url, '/export/run', {
      'content-type': 'application/json',
    });
    upload.request.on('error', () => {});
    await upload.send('{"format":"csv","data":[{"id":0}');
    // No route runs before the body is whole, so nothing to poll: give its first bytes time to
    // arrive, or the signal finds no upload and the process stops at once, refusing it.
    await sleep(500);
    let done = false;
    const sending = (async () => {
      for (let id = 1; !done; id += 1) {
        await upload.send(`,{"id":${id}}`);
        await sleep(1_000);
      }
    })().catch(() => {});

    const [answer, { code, seconds }] = await Promise.all([
      upload.response.then(readResponse),
      signalAndTimeExit(executor),
    ]);
    done = true;
    await sending;

    // Still being read, before any route ran: answered like any refusal.
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.head)).toMatchObject({ statusCode: 503, code: 'EXECUTOR_DRAINING' });
    expect(code).toBe(0);
    expect(seconds).toBeGreaterThanOrEqual(shutdownTimeoutS - 0.1);
    expect(seconds).toBeLessThan(shutdownTimeoutS + exitMarginMs / 1000);
    expect(logEntries(executor).filter((entry) => entry.level >= pinoError)).toEqual([]);
    console.log(
      `trickled JSON body to /export/run: 503 and exit 0 ${seconds.toFixed(2)} s after SIGTERM (grace ${shutdownTimeoutS} s)`,
    );
  }, 30_000);

  it('cuts a trickled /export/stream whose 200 has begun, keeps the job queued behind it for the next boot, and exits 0', async () => {
    const executor = await startExecutor({ ...environment, EXPORT_MAX_CONCURRENT: '1' });
    const upload = startNdjsonUpload(executor.url, '/export/stream?format=csv');
    upload.request.on('error', () => {});
    let done = false;
    // Enough rows at once for the CSV's first bytes, hence its 200, to go out.
    const sending = trickleLines(upload, () => done, 1_000);
    const response = await upload.response;
    expect(response.statusCode).toBe(200);
    const streamed = readResponse(response);
    await waitUntilRunning(executor.url, 1);
    // Accepted while the trickled export holds the only slot: it waits, queued.
    const queued = await submitNdjsonJob(executor.url, 'format=csv', 100);
    expect(queued.status).toBe('queued');

    const { code, seconds } = await signalAndTimeExit(executor);
    const answer = await streamed;
    done = true;
    await sending;

    // Its 200 and first rows were on their way: cutting the connection is the only way left to
    // say the file is incomplete, so it gets no 503.
    expect(answer).toMatchObject({ status: 200, complete: false });
    expect(code).toBe(0);
    expect(seconds).toBeGreaterThanOrEqual(shutdownTimeoutS - 0.1);
    expect(seconds).toBeLessThan(shutdownTimeoutS + exitMarginMs / 1000);
    expect(logEntries(executor).filter((entry) => entry.level >= pinoError)).toEqual([]);

    const restarted = await startExecutor(environment, {
      exportDirectory: executor.exportDirectory,
    });
    expect((await getJob(restarted.url, queued.id)).status).toMatch(/^(queued|running|done)$/);
    expect(
      await waitUntilJobSettles(restarted.url, queued.id, { timeoutMs: 10_000 }),
    ).toMatchObject({ status: 'done', rows: 100 });
    console.log(
      `trickled /export/stream: cut, queued job kept, exit 0 ${seconds.toFixed(2)} s after SIGTERM (grace ${shutdownTimeoutS} s)`,
    );
  }, 40_000);
});
