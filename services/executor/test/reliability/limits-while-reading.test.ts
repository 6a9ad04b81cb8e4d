import { once } from 'node:events';
import { type ClientRequest, type IncomingMessage, request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { residentBytes, sampleResidentMemory } from '../real-server/resident-memory.js';
import { startExecutor } from '../real-server/spawn-executor.js';

/**
 * Issue 16, item 2: EXPORT_MAX_ROWS stops a JSON body where it is read. The finding: 64 MB of
 * empty records (`{"format":"csv","data":[{},{},...]}`) held the event loop for 24 s and took
 * the resident set from 121 MB to 2.17 GB, where it stayed, before its 413.
 */

const megabyte = 1024 * 1024;
const bodyBytes = 64 * megabyte;
const head = Buffer.from('{"format":"csv","data":[');
const tail = Buffer.from('{}]}');
// 21,845 empty records and their commas: one 64 KiB write.
const recordsChunk = Buffer.from('{},'.repeat(21_845));
const maxRows = 1_000;

interface HostileUpload {
  /** Resolves with the answer, whenever it comes. */
  answer: Promise<{ status: number; json: { code?: string } }>;
  /**
   * Writes body bytes until `upTo` of them are sent, waiting for `drain`; stops early once
   * answered unless `evenIfAnswered`. Resolves with whether the answer is still to come.
   */
  sendUpTo(upTo: number, evenIfAnswered?: boolean): Promise<boolean>;
  sent(): number;
  req: ClientRequest;
}

/** A POST /export/run of a 64 MB body of empty records, sent as fast as the server reads it. */
function startHostileUpload(url: string): HostileUpload {
  const req = request(`${url}/export/run`, {
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': String(bodyBytes) },
  });
  let sent = 0;
  let answered = false;
  const answer = (async () => {
    const [response] = (await once(req, 'response')) as [IncomingMessage];
    answered = true;
    // An early answer ends only once the rest of the upload is read or given up: its whole
    // text (Content-Length) comes at once.
    const length = Number(response.headers['content-length']);
    let text = '';
    for await (const piece of response.setEncoding('utf8')) {
      text += piece;
      if (Buffer.byteLength(text) >= length) break;
    }
    return { status: response.statusCode ?? 0, json: JSON.parse(text) as { code?: string } };
  })();
  // The server may close the connection over what it did not read: the answer says why.
  req.on('error', () => {});
  return {
    answer,
    req,
    sent: () => sent,
    async sendUpTo(upTo, evenIfAnswered = false) {
      if (sent === 0) {
        req.write(head);
        sent = head.length;
      }
      const lastRecordsByte = bodyBytes - tail.length;
      const until = Math.min(upTo, lastRecordsByte);
      while (sent < until && (evenIfAnswered || !answered)) {
        const piece = recordsChunk.subarray(0, Math.min(recordsChunk.length, until - sent));
        sent += piece.length;
        if (!req.write(piece)) {
          await Promise.race([
            once(req, 'drain'),
            once(req, 'close'),
            evenIfAnswered ? [] : answer,
          ]);
          if (req.destroyed) break;
        }
      }
      if (sent === lastRecordsByte && (evenIfAnswered || !answered)) {
        req.end(tail);
        sent = bodyBytes;
      }
      return !answered;
    },
  };
}

/** Waits until the resident set is within `marginBytes` of `targetBytes`, or `timeoutMs` passed. */
async function settledResident(pid: number, targetBytes: number, marginBytes: number) {
  let resident = residentBytes(pid);
  for (let waited = 0; waited < 10_000 && resident > targetBytes + marginBytes; waited += 250) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    resident = residentBytes(pid);
  }
  return resident;
}

/** A small export first: the worker and the code paths are warm before idle is measured. */
async function warmUp(url: string): Promise<void> {
  const response = await fetch(`${url}/export/run`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ format: 'csv', data: [{ a: 1 }] }),
  });
  expect(response.status).toBe(200);
}

describe('a 64 MB JSON body of empty records, over EXPORT_MAX_ROWS', () => {
  it('is refused with 413 EXECUTOR_TOO_MANY_ROWS before its client has sent 4 MiB of its 64 MB', async () => {
    const executor = await startExecutor({ EXPORT_MAX_ROWS: String(maxRows) });
    await warmUp(executor.url);
    const upload = startHostileUpload(executor.url);
    // Record 1,001 ends at byte 3,027: the server needs no more, so it answers with the
    // client stopped at 4 MiB. A server that read the whole body first would never answer.
    await upload.sendUpTo(4 * megabyte);
    const timeout = new Promise<never>((_resolve, reject) => {
      setTimeout(
        () => reject(new Error(`no answer with ${upload.sent()} bytes sent`)),
        20_000,
      ).unref();
    });
    const answer = await Promise.race([upload.answer, timeout]);
    expect({ status: answer.status, code: answer.json.code }).toEqual({
      status: 413,
      code: 'EXECUTOR_TOO_MANY_ROWS',
    });
    expect(upload.sent()).toBeLessThanOrEqual(4 * megabyte);
    upload.req.destroy();
  }, 60_000);

  it('leaves the resident set flat and near idle, though its client sends all 64 MB', async () => {
    const executor = await startExecutor({ EXPORT_MAX_ROWS: String(maxRows) });
    const pid = executor.child.pid as number;
    await warmUp(executor.url);
    const memory = sampleResidentMemory(pid, 100);
    const upload = startHostileUpload(executor.url);
    // Whatever the answer, the whole body goes out: the server reads and drops the rest.
    await upload.sendUpTo(bodyBytes, true);
    expect(upload.sent()).toBe(bodyBytes);
    const answer = await upload.answer;
    memory.stop();
    expect({ status: answer.status, code: answer.json.code }).toEqual({
      status: 413,
      code: 'EXECUTOR_TOO_MANY_ROWS',
    });
    upload.req.destroy();
    const margin = 100 * megabyte;
    const after = await settledResident(pid, memory.idleBytes, margin);
    const growth = (bytes: number) => `${Math.round((bytes - memory.idleBytes) / megabyte)} MB`;
    console.info(
      `64 MB of empty records, EXPORT_MAX_ROWS ${maxRows}: idle ${Math.round(memory.idleBytes / megabyte)} MB, peak +${growth(memory.peakBytes)}, after +${growth(after)}`,
    );
    // Before, the body was buffered whole, then copied for the worker: three times 64 MB.
    expect(memory.peakBytes - memory.idleBytes).toBeLessThan(margin);
    expect(after - memory.idleBytes).toBeLessThan(margin);
  }, 120_000);
});
