import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ExportTimeoutError } from '../errors.js';
import { exportRejectionOf } from '../test-helpers/export-error-of.js';
import { usePoolWithFolder } from '../test-helpers/use-pool-with-folder.js';

const fixture = usePoolWithFolder('export-pool-timeout-');

/** An upload that sends one record, then nothing more: only a deadline ends it. */
function stalledUpload(): PassThrough {
  const upload = new PassThrough();
  upload.write('{"id":1}\n');
  return upload;
}

describe('pool.run with a signal that times out', () => {
  it('rejects with EXPORT_TIMEOUT, a TimeoutError, and removes its temp file', async () => {
    const signal = AbortSignal.timeout(100);
    const error = await exportRejectionOf(() =>
      fixture.pool.run({
        source: { ndjson: stalledUpload() },
        format: 'csv',
        destination: join(fixture.folder, 'slow.csv'),
        signal,
      }),
    );
    expect(error).toBeInstanceOf(ExportTimeoutError);
    expect(error).toMatchObject({ name: 'TimeoutError', code: 'EXPORT_TIMEOUT' });
    expect(error.cause).toBe(signal.reason);
    expect(await readdir(fixture.folder)).toEqual([]);
  });

  it('rejects with EXPORT_TIMEOUT at once for a signal that has already timed out', async () => {
    const signal = AbortSignal.timeout(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const error = await exportRejectionOf(() =>
      fixture.pool.run({
        source: { records: [{ id: 1 }] },
        format: 'pdf',
        destination: join(fixture.folder, 'late.pdf'),
        signal,
      }),
    );
    expect(error.code).toBe('EXPORT_TIMEOUT');
  });

  it('keeps EXPORT_ABORTED for an abort of any other reason', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('the client left')), 100);
    const error = await exportRejectionOf(() =>
      fixture.pool.run({
        source: { ndjson: stalledUpload() },
        format: 'csv',
        destination: join(fixture.folder, 'left.csv'),
        signal: controller.signal,
      }),
    );
    expect(error).toMatchObject({ name: 'AbortError', code: 'EXPORT_ABORTED' });
  });
});

describe('pool.spool with a signal', () => {
  it('stops a stalled upload when the signal aborts, with EXPORT_ABORTED, and removes its file', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('the client left')), 100);
    const error = await exportRejectionOf(() =>
      fixture.pool.spool({
        source: { ndjson: stalledUpload() },
        destination: join(fixture.folder, 'input.ndjson'),
        signal: controller.signal,
      }),
    );
    expect(error.code).toBe('EXPORT_ABORTED');
    expect(await readdir(fixture.folder)).toEqual([]);
  });

  it('stops a stalled upload with EXPORT_TIMEOUT when the signal times out', async () => {
    const error = await exportRejectionOf(() =>
      fixture.pool.spool({
        source: { ndjson: stalledUpload() },
        destination: join(fixture.folder, 'input.ndjson'),
        signal: AbortSignal.timeout(100),
      }),
    );
    expect(error.code).toBe('EXPORT_TIMEOUT');
    expect(await readdir(fixture.folder)).toEqual([]);
  });
});
