import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { useExportDir } from '../src/test-helpers/use-export-dir.js';

const { folder, logged } = useExportDir();

it('spools the upload, then exports it from the saved file', async () => {
  await import('./pool-spool.js');
  expect(logged()).toEqual([[2, 34, { id: 1, qty: 5 }]]);
  expect(await readFile(join(folder(), 'jobs', '42', 'export.csv'), 'utf8')).toBe(
    'id,qty\r\n1,5\r\n2,7\r\n',
  );
});
