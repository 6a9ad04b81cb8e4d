import { readdirSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { httpJson } from '../real-server/http-json.js';
import { partialFilesUnder } from '../real-server/job-folders.js';
import { startNdjsonUpload } from '../real-server/ndjson-upload.js';
import { ndjsonLines, sampleRecords } from '../real-server/sample-records.js';
import { exportFiles, startExecutor } from '../real-server/spawn-executor.js';
import {
  exportStatus,
  waitUntil,
  waitUntilIdle,
  waitUntilRunning,
} from '../real-server/wait-until.js';
import { waitForLogMessage } from './faults-logs.js';
import { metricSum } from './faults-metrics.js';
import { chunk, openRawConnection } from './faults-raw-connection.js';
import { readResponse } from './faults-response.js';

// Fault: clients that hold a connection without using it. A body sent a byte a second is cut by
// the request timeout (EXPORT_REQUEST_TIMEOUT_S), a connection on which the server waits for a
// client that neither sends nor reads by the idle timeout (EXPORT_IDLE_TIMEOUT_S); either way
// its export is aborted and its slot freed. The timeouts are seconds here, minutes by default.

const requestTimeoutMs = 2_000;
// Node looks for late requests every tenth of the timeout; a loaded machine adds some more.
const lateCutMs = 200 + 1_500;
const slowLine = `${JSON.stringify({ id: 1, note: 'sent one byte a second' })}\n`;

/** Sends `text` one byte a second until `stop` says so or the text runs out. */
async function trickle(send: (byte: string) => Promise<void>, stop: () => boolean, text: string) {
  for (const byte of text) {
    if (stop()) return;
    try {
      await send(byte);
    } catch {
      return; // Cut.
    }
    await sleep(1_000);
  }
}

describe('a client that sends its body one byte a second', () => {
  it('to /export/stream is cut by the request timeout with a 408, and its slot freed', async () => {
    const executor = await startExecutor({
      EXPORT_REQUEST_TIMEOUT_S: '2',
      EXPORT_IDLE_TIMEOUT_S: '10',
      EXPORT_MAX_CONCURRENT: '1',
    });
    const { url } = executor;
    const startedAt = Date.now();
    const upload = startNdjsonUpload(url, '/export/stream?format=csv');
    let answered = false;
    const sending = trickle(upload.send, () => answered, slowLine);
    await waitUntilRunning(url, 1);

    const response = await upload.response;
    answered = true;
    const cutAfterMs = Date.now() - startedAt;
    const answer = await readResponse(response);
    await sending;

    expect(answer.status).toBe(408);
    expect(JSON.parse(answer.head)).toEqual({
      statusCode: 408,
      code: 'EXECUTOR_REQUEST_TIMEOUT',
      error: 'Request Timeout',
      message: 'the request was not received in full within 2 seconds (EXPORT_REQUEST_TIMEOUT_S)',
    });
    expect(cutAfterMs).toBeGreaterThanOrEqual(requestTimeoutMs - 100);
    expect(cutAfterMs).toBeLessThan(requestTimeoutMs + lateCutMs);
    expect(await waitUntilIdle(url, 3_000)).toMatchObject({ running: 0, queued: 0 });
    expect(await metricSum(url, 'export_requests_total', { outcome: 'cancelled' })).toBe(1);
    const next = await httpJson(url, '/export/stream', {
      body: { format: 'csv', data: sampleRecords(5) },
    });
    expect(next.status).toBe(200);
    console.log(`1 byte/s upload to /export/stream: 408 after ${cutAfterMs} ms`);
  });

  it('after its file has started is cut without a status line written into the file', async () => {
    const executor = await startExecutor({
      EXPORT_REQUEST_TIMEOUT_S: '2',
      EXPORT_IDLE_TIMEOUT_S: '10',
      EXPORT_MAX_CONCURRENT: '1',
    });
    const { url } = executor;
    const startedAt = Date.now();
    const connection = await openRawConnection(url);
    await connection.write(
      'POST /export/stream?format=csv HTTP/1.1\r\nhost: 127.0.0.1\r\n' +
        'content-type: application/x-ndjson\r\ntransfer-encoding: chunked\r\n\r\n',
    );
    await connection.write(chunk(ndjsonLines(1, 2_000)));
    await waitUntil(
      'the 200 and the first bytes of the file',
      async () => (connection.received().startsWith('HTTP/1.1 200 ') ? true : undefined),
      { timeoutMs: 5_000, intervalMs: 20 },
    );
    let closedAt = 0;
    void connection.closed.then(() => {
      closedAt = Date.now();
    });

    await trickle(
      (byte) => connection.write(chunk(byte)),
      () => closedAt > 0,
      slowLine,
    );
    await connection.closed;
    const cutAfterMs = closedAt - startedAt;

    const wire = connection.received();
    expect(wire.match(/HTTP\/1\.1 \d{3}/g)).toEqual(['HTTP/1.1 200']);
    expect(wire).not.toContain('Request Timeout');
    // No last chunk: the client can tell the file is incomplete.
    expect(wire.endsWith('0\r\n\r\n')).toBe(false);
    expect(cutAfterMs).toBeLessThan(requestTimeoutMs + lateCutMs);
    expect(await waitUntilIdle(url, 3_000)).toMatchObject({ running: 0, queued: 0 });
    console.log(`1 byte/s upload after the file started: cut after ${cutAfterMs} ms`);
  });

  it('to /export/jobs holds no slot while it spools, then is cut with a 408 and leaves no job', async () => {
    const executor = await startExecutor({
      EXPORT_REQUEST_TIMEOUT_S: '2',
      EXPORT_IDLE_TIMEOUT_S: '10',
      EXPORT_MAX_CONCURRENT: '1',
      EXPORT_MAX_QUEUE: '0',
    });
    const { url, exportDirectory } = executor;
    const upload = startNdjsonUpload(url, '/export/jobs?format=csv');
    await upload.send(ndjsonLines(1, 100));
    let answered = false;
    const sending = trickle(upload.send, () => answered, slowLine);

    // With one slot and no queue, an export that found the slot taken would get a 429.
    const statusWhileSpooling = await exportStatus(url);
    const other = await httpJson(url, '/export/run', {
      body: { format: 'csv', data: sampleRecords(5) },
    });
    const response = await upload.response;
    answered = true;
    const answer = await readResponse(response);
    await sending;

    expect(statusWhileSpooling).toMatchObject({ running: 0, queued: 0 });
    expect(other.status).toBe(200);
    expect(answer.status).toBe(408);
    expect(JSON.parse(answer.head)).toMatchObject({ code: 'EXECUTOR_REQUEST_TIMEOUT' });
    expect(readdirSync(join(exportDirectory, 'jobs'))).toEqual([]);
    expect((await httpJson(url, '/export/jobs')).json).toEqual({ jobs: [], nextCursor: null });
  });
});

describe('a connection idle longer than the idle timeout', () => {
  it('is closed when the client never reads a large /export/stream answer: export aborted, slot freed', async () => {
    const executor = await startExecutor({
      EXPORT_REQUEST_TIMEOUT_S: '60',
      EXPORT_IDLE_TIMEOUT_S: '2',
      EXPORT_MAX_CONCURRENT: '1',
    });
    const { url, exportDirectory } = executor;
    // About 8 MB of CSV: more than the socket buffers between the two hold (4 MB here).
    const body = JSON.stringify({ format: 'csv', data: sampleRecords(150_000) });
    const request = httpRequest(new URL('/export/stream', url), {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json' },
    });
    request.on('error', () => {});
    const answered = new Promise<IncomingMessage>((resolve) => request.once('response', resolve));
    request.end(body);
    const response = await answered;
    const answeredAt = Date.now();
    // Never read: the server fills the buffers, then waits on this client. A client that does
    // not read does not see the close either: the server's side tells.
    response.pause();

    await waitUntil(
      'the export to give its slot up',
      async () => ((await exportStatus(url)).running === 0 ? true : undefined),
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    const slotFreedAfterMs = Date.now() - answeredAt;
    const answer = await readResponse(response);

    expect(slotFreedAfterMs).toBeGreaterThanOrEqual(2_000);
    // Node lets a write that moved since the last check run one more idle period.
    expect(slotFreedAfterMs).toBeLessThan(2 * 2_000 + 3_000);
    expect(answer.complete).toBe(false);
    expect(await exportStatus(url)).toMatchObject({ running: 0, queued: 0 });
    expect(await metricSum(url, 'export_requests_total', { outcome: 'cancelled' })).toBe(1);
    expect(exportFiles(exportDirectory)).toEqual([]);
    expect(partialFilesUnder(exportDirectory)).toEqual([]);
    await waitForLogMessage(executor, 'connection closed: client stalled');
    console.log(
      `unread /export/stream answer: slot freed ${slotFreedAfterMs} ms after its headers, ` +
        `${(answer.bytes / 1024 / 1024).toFixed(1)} MB had been sent`,
    );
  });

  it('is closed when the client stops sending its body halfway, before any export starts', async () => {
    const executor = await startExecutor({
      EXPORT_REQUEST_TIMEOUT_S: '60',
      EXPORT_IDLE_TIMEOUT_S: '1',
    });
    const { url } = executor;
    const connection = await openRawConnection(url);
    const body = JSON.stringify({ format: 'csv', data: sampleRecords(100) });
    const startedAt = Date.now();
    await connection.write(
      'POST /export/run HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n' +
        `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, body.length / 2)}`,
    );

    await Promise.race([connection.closed, sleep(10_000)]);
    const closedAfterMs = Date.now() - startedAt;

    expect(connection.socket.destroyed || connection.socket.readableEnded).toBe(true);
    expect(closedAfterMs).toBeGreaterThanOrEqual(1_000);
    expect(closedAfterMs).toBeLessThan(1_000 + 3_000);
    expect(await metricSum(url, 'export_requests_total')).toBe(0);
    await waitForLogMessage(executor, 'connection closed: client stalled');
  });

  it('is left open while the client waits for the server: a queued export still gets its answer', async () => {
    const executor = await startExecutor({
      EXPORT_REQUEST_TIMEOUT_S: '60',
      EXPORT_IDLE_TIMEOUT_S: '1',
      EXPORT_MAX_CONCURRENT: '1',
    });
    const { url } = executor;
    // Holds the one slot for 2.5 s, sending a line every 250 ms: never idle itself.
    const holder = startNdjsonUpload(url, '/export/stream?format=csv');
    await holder.send(ndjsonLines(1, 1));
    await waitUntilRunning(url, 1);
    const startedAt = Date.now();
    const run = httpJson(url, '/export/run', { body: { format: 'csv', data: sampleRecords(5) } });
    const stream = httpJson(url, '/export/stream', {
      body: { format: 'csv', data: sampleRecords(5) },
    });
    for (let line = 2; line <= 10; line += 1) {
      await sleep(250);
      await holder.send(ndjsonLines(line, line));
    }
    await holder.end();

    const [runAnswer, streamAnswer] = await Promise.all([run, stream]);
    const waitedMs = Date.now() - startedAt;

    expect(waitedMs).toBeGreaterThan(2_000);
    expect(runAnswer.status).toBe(200);
    expect(streamAnswer.status).toBe(200);
    expect(streamAnswer.text.split('\r\n')).toHaveLength(7);
    expect((await readResponse(await holder.response)).complete).toBe(true);
  });
});
