import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destinationClosedMessage, ExportAbortError } from '../errors.js';
import { exportRejectionOf } from '../test-helpers/export-error-of.js';
import { createExportPool, type ExportPool } from './create-export-pool.js';

let pool: ExportPool;

beforeAll(() => {
  pool = createExportPool({ size: 1 });
});

afterAll(async () => {
  await pool.close();
});

const records = Array.from({ length: 100_000 }, (_, id) => ({ id, note: 'x'.repeat(100) }));

/** A Writable that takes `limit` bytes, then is destroyed without an error, as a reader that leaves. */
function leavingReader(limit: number): Writable {
  let taken = 0;
  const writable = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      taken += chunk.length;
      callback();
      if (taken >= limit) writable.destroy();
    },
  });
  return writable;
}

describe('pool.run to a Writable that closes before the export ends it', () => {
  it.each(['csv', 'pdf'] as const)(
    'stops the %s export on its worker and rejects with EXPORT_ABORTED, rather than wait forever',
    async (format) => {
      const error = await exportRejectionOf(() =>
        pool.run({ source: { records }, format, destination: leavingReader(64 * 1024) }),
      );
      expect(error).toBeInstanceOf(ExportAbortError);
      expect(error).toMatchObject({ code: 'EXPORT_ABORTED', name: 'AbortError' });
      expect(error.message).toBe(destinationClosedMessage);
      expect(pool.stats().running).toBe(0);
    },
  );

  it('leaves the worker free for the next export', async () => {
    const chunks: Buffer[] = [];
    const collected = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
    });
    await exportRejectionOf(() =>
      pool.run({ source: { records }, format: 'csv', destination: leavingReader(1024) }),
    );
    const result = await pool.run({
      source: { records: records.slice(0, 3) },
      format: 'csv',
      destination: collected,
    });
    expect(result.rows).toBe(3);
    expect(Buffer.concat(chunks).toString()).toMatch(/^id,note\r\n0,x+\r\n/);
  });
});
