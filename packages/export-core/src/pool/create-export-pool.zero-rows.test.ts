import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pageAt, readPdf } from '../pdf/test-helpers/read-pdf.js';
import { createExportPool, type ExportPool } from './create-export-pool.js';

let folder: string;
let pool: ExportPool;

beforeAll(() => {
  pool = createExportPool({ size: 1 });
});

afterAll(async () => {
  await pool.close();
});

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'export-pool-zero-rows-'));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('pool.run of zero records and no columns', () => {
  it('writes an empty CSV for empty NDJSON, as runExport does', async () => {
    const path = join(folder, 'empty.csv');
    const result = await pool.run({
      source: { ndjson: new Uint8Array(0) },
      format: 'csv',
      destination: path,
    });
    expect(result).toMatchObject({ rows: 0, bytes: 0 });
    expect(await readFile(path)).toEqual(Buffer.alloc(0));
  });

  it('writes a PDF of an empty table for an empty JSON array', async () => {
    const path = join(folder, 'empty.pdf');
    await pool.run({
      source: { json: Buffer.from('[]') },
      format: 'pdf',
      pdf: { title: 'Nothing' },
      destination: path,
    });
    const page = pageAt(await readPdf(await readFile(path)), 0);
    expect(page.text).toMatch(/^Nothing Generated \S+ 0 rows Nothing Page 1 of 1$/);
  });
});
