import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { useExportDir } from '../src/test-helpers/use-export-dir.js';

const { folder, logged } = useExportDir();

it('writes the CSV the README shows, with progress and the result logged', async () => {
  await import('./run-export.js');
  const csv = await readFile(join(folder(), 'trades.csv'), 'utf8');
  expect(csv.split('\r\n').slice(0, 2)).toEqual([
    '\ufeffid,symbol,PnL (USD),at',
    '1,ACME,1.12345678,2026-01-01T00:00:00.000Z',
  ]);
  const result = logged().find(([first]) => typeof first === 'object')?.[0];
  expect(result).toMatchObject({ format: 'csv', rows: 10_000, path: join(folder(), 'trades.csv') });
  expect(logged().some(([first]) => first === 'progress')).toBe(true);
});
