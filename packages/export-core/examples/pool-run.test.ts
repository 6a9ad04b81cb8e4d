import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { useExportDir } from '../src/test-helpers/use-export-dir.js';

const { folder, logged } = useExportDir();

it('writes the PDF on a worker, and closes the pool', async () => {
  await import('./pool-run.js');
  expect(logged()[0]?.[0]).toMatchObject({ format: 'pdf', rows: 2 });
  const pdf = await readFile(join(folder(), 'trades.pdf'));
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
});
