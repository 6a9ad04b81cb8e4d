import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { useExportDir } from '../src/test-helpers/use-export-dir.js';

const { folder } = useExportDir();

it('runs: the typo the compiler catches would have written an empty column', async () => {
  await import('./typed-rows.js');
  expect(await readFile(join(folder(), 'typed.csv'), 'utf8')).toBe('id,amuont\r\n1,\r\n2,\r\n');
});
