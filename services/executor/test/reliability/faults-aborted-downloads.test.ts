import { type ClientRequest, request as httpRequest, type IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { httpJson } from '../real-server/http-json.js';
import { partialFilesUnder } from '../real-server/job-folders.js';
import { startNdjsonUpload } from '../real-server/ndjson-upload.js';
import { ndjsonLines, sampleRecords } from '../real-server/sample-records.js';
import { exportFiles, startExecutor } from '../real-server/spawn-executor.js';
import { waitUntil, waitUntilIdle } from '../real-server/wait-until.js';
import { outcomeCounts } from './faults-metrics.js';
import { randomInteger, seededRandom } from './faults-random.js';

// Fault: clients that go away mid-download. 100 of them, 10 at a time against 2 slots, so most
// wait in the queue for a while; each leaves at a point drawn from a seeded generator: while
// uploading, while queued, while its file streams, or while /export/run writes its file.

const seed = 20_261_128;
const clientCount = 100;
const clientsAtOnce = 10;
const environment = { EXPORT_MAX_CONCURRENT: '2', EXPORT_MAX_QUEUE: '20' };
const clientTimeoutMs = 20_000;
const runFileName = /^[0-9a-f-]{36}\.(csv|pdf)$/;

type ClientKind = 'ndjson-stream' | 'json-stream' | 'run';

interface ClientPlan {
  kind: ClientKind;
  format: 'csv' | 'pdf';
  /** Records uploaded (NDJSON: before leaving, the upload never ends) or in the JSON body. */
  rows: number;
  /** Leaves once this many bytes of the file came… */
  leaveAfterBytes: number;
  /** …or this long after the request was sent, whichever is first; undefined: bytes only. */
  leaveAfterMs: number | undefined;
}

/** What the client saw before it left. */
type ClientEnd = 'left before the answer' | 'left during the file' | 'answered';

function planClients(random: () => number): ClientPlan[] {
  return Array.from({ length: clientCount }, () => {
    const draw = random();
    const kind: ClientKind = draw < 0.4 ? 'ndjson-stream' : draw < 0.7 ? 'json-stream' : 'run';
    return {
      kind,
      format: random() < 0.5 ? 'csv' : 'pdf',
      rows:
        kind === 'ndjson-stream'
          ? randomInteger(random, 0, 5_000)
          : randomInteger(random, 5_000, 40_000),
      // Below the smallest streamed file (5,000 rows of CSV, 280 KB).
      leaveAfterBytes: randomInteger(random, 0, 256 * 1024),
      // Half the JSON streams leave on bytes alone: surely during the file, even on a slow machine.
      leaveAfterMs:
        kind === 'json-stream' && random() < 0.5 ? undefined : randomInteger(random, 0, 800),
    };
  });
}

/**
 * Follows the response of `request` and destroys the connection once `leaveAfterBytes` bytes of
 * it arrived or `leaveAfterMs` passed since `sent` resolved (the request is out), whichever is
 * first; resolves once the connection is closed.
 */
function leaveAtPlannedPoint(
  request: ClientRequest,
  plan: ClientPlan,
  sent: Promise<void>,
): Promise<ClientEnd> {
  return new Promise((resolve) => {
    let end: ClientEnd = 'left before the answer';
    let bytes = 0;
    let timer: NodeJS.Timeout | undefined;
    const leave = () => request.destroy();
    const deadline = setTimeout(leave, clientTimeoutMs);
    void sent.finally(() => {
      if (!request.destroyed && plan.leaveAfterMs !== undefined) {
        timer = setTimeout(leave, plan.leaveAfterMs);
      }
    });
    request.once('response', (response: IncomingMessage) => {
      end = 'left during the file';
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes >= plan.leaveAfterBytes) leave();
      });
      response.once('end', () => {
        end = 'answered';
      });
      response.on('error', () => {});
    });
    request.on('error', () => {});
    request.once('close', () => {
      clearTimeout(timer);
      clearTimeout(deadline);
      resolve(end);
    });
  });
}

async function runClient(url: string, plan: ClientPlan): Promise<ClientEnd> {
  if (plan.kind === 'ndjson-stream') {
    const upload = startNdjsonUpload(url, `/export/stream?format=${plan.format}`);
    let markSent = () => {};
    const ended = leaveAtPlannedPoint(
      upload.request,
      plan,
      new Promise((resolve) => {
        markSent = resolve;
      }),
    );
    try {
      for (let from = 1; from <= plan.rows; from += 1_000) {
        await upload.send(ndjsonLines(from, Math.min(from + 999, plan.rows)));
      }
    } catch {
      // Already gone.
    }
    // The upload never ends: this export cannot finish, it can only be aborted.
    markSent();
    return ended;
  }
  const path = plan.kind === 'run' ? '/export/run' : '/export/stream';
  const body = JSON.stringify({ format: plan.format, data: sampleRecords(plan.rows) });
  const request = httpRequest(new URL(path, url), {
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json' },
  });
  const sent = new Promise<void>((resolve) => request.end(body, resolve));
  return leaveAtPlannedPoint(request, plan, sent);
}

/** Runs every plan, `clientsAtOnce` at a time. */
async function runAll(url: string, plans: ClientPlan[]): Promise<ClientEnd[]> {
  const ends: ClientEnd[] = new Array(plans.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < plans.length; index = next++) {
      const plan = plans[index];
      if (plan) ends[index] = await runClient(url, plan);
    }
  };
  await Promise.all(Array.from({ length: clientsAtOnce }, worker));
  return ends;
}

interface ExportLogLines {
  /** "export finished" lines. */
  finished: number;
  /** The `code` of every "export did not finish" line. */
  unfinishedCodes: string[];
}

/** Each export started logs one line when it is over: finished, or did not finish and why. */
function exportLogLines(logs: string): ExportLogLines {
  const lines: ExportLogLines = { finished: 0, unfinishedCodes: [] };
  for (const line of logs.split('\n')) {
    let entry: { msg?: string; code?: string };
    try {
      entry = JSON.parse(line) as { msg?: string; code?: string };
    } catch {
      continue;
    }
    if (entry.msg === 'export finished') lines.finished += 1;
    if (entry.msg === 'export did not finish') lines.unfinishedCodes.push(entry.code ?? 'none');
  }
  return lines;
}

describe(`${clientCount} downloads aborted at random points (seed ${seed})`, () => {
  it('leave nothing running or queued, no temp file, and count as cancelled', async () => {
    const executor = await startExecutor(environment);
    const { url, exportDirectory } = executor;
    const plans = planClients(seededRandom(seed));

    const startedAt = Date.now();
    const ends = await runAll(url, plans);
    const status = await waitUntilIdle(url, 10_000);
    const outcomes = await outcomeCounts(url);
    // The log comes through a pipe, maybe after the metrics: wait for a line per export counted.
    const { finished, unfinishedCodes } = await waitUntil(
      'a log line for every export counted',
      async () => {
        const lines = exportLogLines(executor.logs());
        const logged = lines.finished + lines.unfinishedCodes.length;
        return logged >= outcomes.success + outcomes.cancelled ? lines : undefined;
      },
      { timeoutMs: 5_000 },
    ).catch(() => exportLogLines(executor.logs()));
    const exportsStarted = finished + unfinishedCodes.length;
    const count = (code: string) => unfinishedCodes.filter((each) => each === code).length;
    const tally = (kind: ClientKind, end: ClientEnd) =>
      plans.filter((plan, index) => plan.kind === kind && ends[index] === end).length;
    console.log(
      `${clientCount} clients in ${Date.now() - startedAt} ms, before the answer/during the file/answered: ` +
        `ndjson-stream ${tally('ndjson-stream', 'left before the answer')}/${tally('ndjson-stream', 'left during the file')}/0, ` +
        `json-stream ${tally('json-stream', 'left before the answer')}/${tally('json-stream', 'left during the file')}/${tally('json-stream', 'answered')}, ` +
        `run ${tally('run', 'left before the answer')}/0/${tally('run', 'answered')}; ` +
        `${exportsStarted} exports started (the others' clients left while uploading); ` +
        `server outcomes ${JSON.stringify(outcomes)}; cancelled while queued ${count('LIMITER_ABORTED')}, ` +
        `while running ${count('EXPORT_ABORTED')}`,
    );

    expect(status).toMatchObject({ running: 0, queued: 0 });
    expect(partialFilesUnder(exportDirectory)).toEqual([]);
    // Every export either finished before its client left, or was cancelled: none failed.
    expect(outcomes).toMatchObject({ failure: 0, rejected: 0, other: 0 });
    expect(outcomes.success).toBe(finished);
    expect(outcomes.cancelled).toBe(unfinishedCodes.length);
    expect(count('LIMITER_ABORTED')).toBeGreaterThan(0);
    expect(count('EXPORT_ABORTED')).toBeGreaterThan(0);
    expect(count('LIMITER_ABORTED') + count('EXPORT_ABORTED')).toBe(unfinishedCodes.length);
    // Most clients left after their export began.
    expect(exportsStarted).toBeGreaterThanOrEqual(clientCount * 0.7);
    expect(tally('json-stream', 'left during the file')).toBeGreaterThan(0);
    // /export/run keeps only files it finished, under their final names.
    const files = exportFiles(exportDirectory);
    expect(files.every((name) => runFileName.test(name))).toBe(true);
    expect(files.length).toBeLessThanOrEqual(outcomes.success);
    // Still serving: one more export goes through.
    const after = await httpJson(url, '/export/run', {
      body: { format: 'csv', data: sampleRecords(10) },
    });
    expect(after.status).toBe(200);
  });
});
