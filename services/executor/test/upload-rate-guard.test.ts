import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import { describe, expect, it } from 'vitest';
import { guardUploadRate, type MinimumUploadRate } from '../src/exports/upload-rate-guard.js';

const log = { info() {} } as unknown as FastifyBaseLogger;
// Nothing waits unread in the request itself: its body is the upload stream below.
const request = { complete: false, readableLength: 0 } as unknown as IncomingMessage;

function guarded(rate: MinimumUploadRate) {
  const upload = new PassThrough();
  const guard = guardUploadRate({
    upload,
    request,
    // As ndjsonUploadOf reads an upload: stopping early leaves it open.
    chunks: { [Symbol.asyncIterator]: () => upload.iterator({ destroyOnReturn: false }) },
    rate,
    log,
    checkIntervalMs: 20,
  });
  return { upload, guard };
}

async function readAll(chunks: AsyncIterable<Uint8Array>): Promise<void> {
  for await (const _chunk of chunks);
}

describe('guardUploadRate', () => {
  it('aborts with EXECUTOR_UPLOAD_TOO_SLOW an upload slower than the rate while the export reads it', async () => {
    const { upload, guard } = guarded({ bytesPerSecond: 1_000_000, graceSeconds: 0 });
    const reading = readAll(guard.chunks);
    guard.start();
    upload.write('{"id":1}');
    await sleep(100);
    expect(guard.signal.aborted).toBe(true);
    expect(guard.signal.reason).toMatchObject({
      code: 'EXECUTOR_UPLOAD_TOO_SLOW',
      statusCode: 408,
    });
    upload.end();
    await reading;
  });

  it('leaves an upload alone while its bytes wait unread: the export is the slow one', async () => {
    const { upload, guard } = guarded({ bytesPerSecond: 1_000_000, graceSeconds: 0 });
    guard.start();
    upload.write('{"id":1}');
    await sleep(100);
    expect(guard.signal.aborted).toBe(false);
    guard.stop();
  });

  it('leaves an upload alone during the grace period', async () => {
    const { upload, guard } = guarded({ bytesPerSecond: 1_000_000, graceSeconds: 60 });
    const reading = readAll(guard.chunks);
    guard.start();
    await sleep(100);
    expect(guard.signal.aborted).toBe(false);
    guard.stop();
    upload.end();
    await reading;
  });

  it('leaves an upload that keeps the rate alone', async () => {
    const { upload, guard } = guarded({ bytesPerSecond: 1_000, graceSeconds: 0 });
    const reading = readAll(guard.chunks);
    guard.start();
    upload.write('x'.repeat(10_000));
    await sleep(100);
    expect(guard.signal.aborted).toBe(false);
    guard.stop();
    upload.end();
    await reading;
  });

  it('is off at 0 bytes a second', async () => {
    const { upload, guard } = guarded({ bytesPerSecond: 0, graceSeconds: 0 });
    const reading = readAll(guard.chunks);
    guard.start();
    await sleep(100);
    expect(guard.signal.aborted).toBe(false);
    upload.end();
    await reading;
  });
});
