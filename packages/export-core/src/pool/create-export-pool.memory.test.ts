import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportRejectionOf } from '../test-helpers/export-error-of.js';
import { createExportPool } from './create-export-pool.js';

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'export-pool-memory-'));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

/**
 * Records with two 300 kB text cells, as a stream (read once, so nothing measures them first):
 * the PDF writer holds its first 100 records to measure the columns, far more than 32 MB, and the
 * heap grows a record at a time, which is what V8's heap cap can catch. (One allocation far past
 * the cap is not caught: Node then ends the whole process, so sources bound their record sizes.)
 */
async function* bigRecords(count: number): AsyncGenerator<Buffer> {
  const text = 'x'.repeat(300_000);
  for (let id = 0; id < count; id += 1) {
    yield Buffer.from(`${JSON.stringify({ id, note: text, comment: text })}\n`);
  }
}

async function* slowRecords(count: number): AsyncGenerator<object> {
  for (let id = 0; id < count; id += 1) {
    if (id % 100 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    yield { id, symbol: 'ACME' };
  }
}

describe('a worker past its heap cap', () => {
  it('fails its own export with EXPORT_WORKER_OUT_OF_MEMORY while another worker’s export finishes, then is replaced', async () => {
    const pool = createExportPool({ size: 2, maxHeapMb: 32 });
    try {
      // Started first, so it holds one worker while the other one runs out of memory.
      const steady = pool.run({
        source: { records: slowRecords(3_000) },
        format: 'csv',
        destination: join(folder, 'steady.csv'),
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const error = await exportRejectionOf(() =>
        pool.run({
          source: { ndjson: bigRecords(150) },
          format: 'pdf',
          destination: join(folder, 'big.pdf'),
        }),
      );
      expect(error.code).toBe('EXPORT_WORKER_OUT_OF_MEMORY');
      expect(error.message).toContain('32 MB');
      await expect(steady).resolves.toMatchObject({ rows: 3_000 });
      // The pool has its two workers again: two exports run after it.
      const after = await Promise.all(
        ['a', 'b'].map((name) =>
          pool.run({
            source: { records: [{ id: 1 }] },
            format: 'csv',
            destination: join(folder, `${name}.csv`),
          }),
        ),
      );
      expect(after.map((result) => result.rows)).toEqual([1, 1]);
      expect((await readdir(folder)).sort()).toEqual(['a.csv', 'b.csv', 'steady.csv']);
      expect(pool.stats()).toMatchObject({ size: 2, busy: 0, running: 0 });
    } finally {
      await pool.close();
    }
  }, 60_000);
});
