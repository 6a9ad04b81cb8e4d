import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pageAt, readPdf } from './pdf/test-helpers/read-pdf.js';
import { runExport } from './run-export.js';

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'run-export-pdf-fit-'));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

const long = 'A very long description that cannot possibly fit in sixty points';

describe('runExport: truncatedCells', () => {
  it('counts the PDF text cells cut with "…", and names their columns', async () => {
    const result = await runExport({
      source: [
        { id: 1, note: long },
        { id: 2, note: 'short' },
        { id: 3, note: long },
      ],
      format: 'pdf',
      columns: ['id', { key: 'note', width: 60 }],
      destination: join(folder, 'notes.pdf'),
    });
    expect(result.truncatedCells).toEqual({ count: 2, columns: ['note'] });
  });

  it('is zero for a CSV, which cuts nothing', async () => {
    const result = await runExport({
      source: [{ id: 1, note: long }],
      format: 'csv',
      destination: join(folder, 'notes.csv'),
    });
    expect(result.truncatedCells).toEqual({ count: 0, columns: [] });
  });
});

describe('runExport: nullText and timeZone in a PDF', () => {
  it('writes null as the export’s nullText and dates in its timeZone, as in a CSV', async () => {
    const path = join(folder, 'dates.pdf');
    await runExport({
      source: [{ at: new Date('2024-01-02T03:04:05Z'), missing: null }],
      format: 'pdf',
      nullText: '-',
      timeZone: 'America/New_York',
      destination: path,
    });
    const page = pageAt(await readPdf(await readFile(path)), 0);
    expect(page.text).toContain('at missing 2024-01-01T22:04:05.000-05:00 - 1 row');
  });
});
