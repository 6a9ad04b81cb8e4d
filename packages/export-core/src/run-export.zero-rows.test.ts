import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pageAt, readPdf } from './pdf/test-helpers/read-pdf.js';
import { runExport } from './run-export.js';

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'run-export-zero-rows-'));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

// A query that matched nothing is a result, not an error: with no columns named there is no
// header to know, so the file is as empty as its format allows.
describe('runExport of zero records and no columns', () => {
  it('writes an empty CSV file and reports 0 rows and 0 bytes', async () => {
    const path = join(folder, 'empty.csv');
    const result = await runExport({ source: [], format: 'csv', destination: path });
    expect(await readFile(path)).toEqual(Buffer.alloc(0));
    expect(result).toMatchObject({ rows: 0, bytes: 0, path });
  });

  it('writes only the BOM for the excel profile', async () => {
    const path = join(folder, 'empty.csv');
    const result = await runExport({
      source: [],
      format: 'csv',
      csv: { profile: 'excel' },
      destination: path,
    });
    expect((await readFile(path)).toString('hex')).toBe('efbbbf');
    expect(result.bytes).toBe(3);
  });

  it('writes a PDF of an empty table: the title block and "0 rows"', async () => {
    const path = join(folder, 'empty.pdf');
    const result = await runExport({
      source: [],
      format: 'pdf',
      pdf: { title: 'Nothing', generatedAt: new Date('2024-05-01T12:00:00.000Z') },
      destination: path,
    });
    expect(result.rows).toBe(0);
    const page = pageAt(await readPdf(await readFile(path)), 0);
    expect(page.text).toBe('Nothing Generated 2024-05-01T12:00:00.000Z 0 rows Nothing Page 1 of 1');
  });

  it('still writes the header row when the columns are named', async () => {
    const path = join(folder, 'header.csv');
    await runExport({ source: [], format: 'csv', columns: ['id', 'qty'], destination: path });
    expect(await readFile(path, 'utf8')).toBe('id,qty\r\n');
  });
});
