import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readXlsx, values } from '@org/test-xlsx';
import { expect, it } from 'vitest';
import { useExportDir } from '../src/test-helpers/use-export-dir.js';

const { folder, logged } = useExportDir();

it('writes a workbook whose cells have the types their columns say', async () => {
  await import('./xlsx-export.js');
  expect(logged()[0]?.[0]).toMatchObject({ format: 'xlsx', rows: 2 });
  const book = await readXlsx(await readFile(join(folder(), 'trades.xlsx')));
  expect(book).toMatchObject({ title: 'Trades', creator: 'alice' });
  expect(book.sheets[0]?.title).toBe('Trades');
  expect(values(book.sheets[0])).toEqual([
    ['id', 'symbol', 'qty', 'PnL', 'at', 'done'],
    [1, 'ACME', '00120', 1234.5, '2026-01-02T12:30:00', true],
    ['9007199254740993', '=SUM(A1)', '7', -3.5, null, false],
  ]);
});
