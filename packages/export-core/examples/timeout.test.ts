import { readdir } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { useExportDir } from '../src/test-helpers/use-export-dir.js';

const { folder, logged } = useExportDir();

it('fails a slow export with EXPORT_TIMEOUT at the deadline, leaving no file', async () => {
  await import('./timeout.js');
  expect(logged()).toEqual([['EXPORT_TIMEOUT', 'TimeoutError']]);
  expect(await readdir(folder())).toEqual([]);
});
