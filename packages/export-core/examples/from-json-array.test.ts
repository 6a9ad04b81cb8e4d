import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { useExportDir } from '../src/test-helpers/use-export-dir.js';

const { folder } = useExportDir();

it('exports a JSON array read from a file stream', async () => {
  await import('./from-json-array.js');
  expect(await readFile(join(folder(), 'from-json-array.csv'), 'utf8')).toBe(
    'id,symbol\r\n1,ACME\r\n2,Şükrü A.Ş.\r\n',
  );
});
