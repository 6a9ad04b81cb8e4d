import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { useExportDir } from '../src/test-helpers/use-export-dir.js';

const { folder, logged } = useExportDir();

it('exports NDJSON from a file stream, numbers exactly as written', async () => {
  await import('./from-ndjson.js');
  expect(logged()).toEqual([[2]]);
  expect(await readFile(join(folder(), 'from-ndjson.csv'), 'utf8')).toBe(
    'orderId,price\r\n1234567890123456789,100.10\r\n2,-0\r\n',
  );
});
