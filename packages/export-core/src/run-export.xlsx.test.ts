import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readXlsx, xlsxParts } from '@org/test-xlsx';
import { describe, expect, it } from 'vitest';
import type { ColumnsOption } from './columns/column-types.js';
import type { RunExportOptions } from './export-options.js';
import { runExport } from './run-export.js';
import { exportRejectionOf } from './test-helpers/export-error-of.js';
import { usePoolWithFolder } from './test-helpers/use-pool-with-folder.js';
import { ExactNumber } from './values/exact-number.js';
import { jsonText } from './values/json-text.js';
import { writeXlsx } from './xlsx/test-helpers/write-xlsx.js';

const fixture = usePoolWithFolder('run-export-xlsx-');
const generatedAt = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
const records = [
  {
    id: 1,
    name: 'Şükrü',
    pnl: '12.5',
    big: new ExactNumber('12345678901234567890'),
    at: '2026-01-01T10:00:00Z',
  },
  { id: 2, name: '=cmd', pnl: '-3', big: new ExactNumber('7'), at: null },
  { id: 3, name: 'x'.repeat(33_000), pnl: '0', big: new ExactNumber('8'), at: '2026-01-02' },
];
const columns: ColumnsOption = [
  'id',
  'name',
  { key: 'pnl', type: 'decimal' as const },
  'big',
  { key: 'at', type: 'datetime' as const },
];
const xlsx = { title: 'Trades', author: 'alice', generatedAt, maxRowsPerSheet: 3 };

describe("runExport({ format: 'xlsx' }) and pool.run", () => {
  it('write what createXlsxStream writes, and report the cut cells', async () => {
    const direct = await writeXlsx(records, { ...xlsx, columns, timeZone: 'Asia/Tokyo' });
    const viaRun = join(fixture.folder, 'run.xlsx');
    const result = await runExport({
      source: records,
      format: 'xlsx',
      columns,
      timeZone: 'Asia/Tokyo',
      destination: viaRun,
      xlsx,
    });
    expect(result).toMatchObject({
      format: 'xlsx',
      rows: 3,
      truncatedCells: { count: 1, columns: ['name'] },
    });
    const viaPool = join(fixture.folder, 'pool.xlsx');
    const pooled = await fixture.pool.run({
      // As the executor sends them: NDJSON, whose exact numbers the worker parses back.
      source: { ndjson: Buffer.from(records.map((record) => jsonText(record)).join('\n')) },
      format: 'xlsx',
      columns,
      timeZone: 'Asia/Tokyo',
      destination: viaPool,
      xlsx,
    });
    expect(pooled.truncatedCells).toEqual({ count: 1, columns: ['name'] });
    const expected = xlsxParts(direct.bytes);
    expect(xlsxParts(await readFile(viaRun))).toEqual(expected);
    expect(xlsxParts(await readFile(viaPool))).toEqual(expected);
    expect(Object.keys(expected)).toContain('xl/worksheets/sheet2.xml');
  });

  it('in the pool, sizes the columns by every record of an input it can read twice', async () => {
    const wide = 'a note of thirty-one characters';
    const notes = Array.from({ length: 300 }, (_, row) => ({ note: row === 250 ? wide : 'short' }));
    const destination = join(fixture.folder, 'measured.xlsx');
    await fixture.pool.run({
      source: { ndjson: Buffer.from(notes.map((record) => JSON.stringify(record)).join('\n')) },
      format: 'xlsx',
      destination,
    });
    const widthOf = async (bytes: Uint8Array) => (await readXlsx(bytes)).sheets[0]?.widths.A;
    expect(await widthOf(await readFile(destination))).toBe(wide.length + 2);
    // Streamed, the first 100 records decide.
    expect(await widthOf((await writeXlsx(notes)).bytes)).toBe(7);
  });

  it("refuses xlsx options for another format, and other formats' options for an XLSX", async () => {
    const destination = join(fixture.folder, 'out');
    const wrong = await exportRejectionOf(() =>
      runExport({
        source: records,
        format: 'csv',
        destination,
        xlsx: {},
      } as unknown as RunExportOptions),
    );
    expect(wrong).toMatchObject({
      code: 'EXPORT_INVALID_OPTION',
      message:
        'option `xlsx` is for format "xlsx", and this export\'s format is "csv"; pass `csv` options or none',
    });
    const other = await exportRejectionOf(() =>
      runExport({
        source: records,
        format: 'xlsx',
        destination,
        pdf: {},
      } as unknown as RunExportOptions),
    );
    expect(other.message).toMatch(
      /^option `pdf` is for format "pdf", and this export's format is "xlsx"/,
    );
  });

  it('refuses a bad xlsx option in the pool with its coded error', async () => {
    const error = await exportRejectionOf(() =>
      fixture.pool.run({
        source: { records },
        format: 'xlsx',
        destination: join(fixture.folder, 'bad.xlsx'),
        xlsx: { sheetName: 'a:b' },
      }),
    );
    expect(error).toMatchObject({ code: 'EXPORT_INVALID_OPTION', message: /xlsx.sheetName/ });
  });
});
