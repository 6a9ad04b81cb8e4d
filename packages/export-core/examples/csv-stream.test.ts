import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { useExportDir } from '../src/test-helpers/use-export-dir.js';

const { folder } = useExportDir();

it('pipes records through both CSV streams of the README', async () => {
  await import('./csv-stream.js');
  expect(await readFile(join(folder(), 'stream.csv'), 'utf8')).toBe(
    '\ufeffid,amount\r\n1,100.10\r\n2,-3.25\r\n',
  );
  expect(await readFile(join(folder(), 'typed-stream.csv'), 'utf8')).toBe(
    'id,amount\r\n1,100.10\r\n2,-3.25\r\n',
  );
});
