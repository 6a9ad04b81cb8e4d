import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExportTimeoutError } from './errors.js';
import { runExport } from './run-export.js';
import { exportRejectionOf } from './test-helpers/export-error-of.js';

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'run-export-timeout-'));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** Records that never end, a few at a time, as a slow database cursor gives them. */
async function* endless() {
  for (let id = 0; ; id += 1) {
    yield { id };
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

describe('runExport with a signal that times out', () => {
  it('rejects with EXPORT_TIMEOUT, a TimeoutError with the signal reason as cause, and leaves no file', async () => {
    const signal = AbortSignal.timeout(50);
    const error = await exportRejectionOf(() =>
      runExport({ source: endless(), format: 'csv', destination: join(folder, 'a.csv'), signal }),
    );
    expect(error).toBeInstanceOf(ExportTimeoutError);
    expect(error).toMatchObject({
      name: 'TimeoutError',
      code: 'EXPORT_TIMEOUT',
      message: 'the export was stopped: its signal timed out',
    });
    expect(error.cause).toBe(signal.reason);
    expect(await readdir(folder)).toEqual([]);
  });

  it('rejects with EXPORT_TIMEOUT at once for a signal that has already timed out', async () => {
    const signal = AbortSignal.timeout(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const error = await exportRejectionOf(() =>
      runExport({ source: [{ id: 1 }], format: 'pdf', destination: join(folder, 'a.pdf'), signal }),
    );
    expect(error.code).toBe('EXPORT_TIMEOUT');
    expect(await readdir(folder)).toEqual([]);
  });

  it('takes the timeout of AbortSignal.any, whose reason is the signal that fired', async () => {
    const caller = new AbortController();
    const signal = AbortSignal.any([caller.signal, AbortSignal.timeout(50)]);
    const error = await exportRejectionOf(() =>
      runExport({ source: endless(), format: 'csv', destination: join(folder, 'a.csv'), signal }),
    );
    expect(error.code).toBe('EXPORT_TIMEOUT');
  });

  it('still rejects with EXPORT_ABORTED for an abort of any other reason', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('the client left')), 50);
    const error = await exportRejectionOf(() =>
      runExport({
        source: endless(),
        format: 'csv',
        destination: join(folder, 'a.csv'),
        signal: controller.signal,
      }),
    );
    expect(error).toMatchObject({ name: 'AbortError', code: 'EXPORT_ABORTED' });
  });
});
