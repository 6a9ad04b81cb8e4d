import { createReadStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fromJsonArray, runExport } from '@org/export-core';

const folder = process.env.EXPORT_DIR ?? './exports';
await mkdir(folder, { recursive: true });
const input = join(folder, 'trades.json');
await writeFile(input, '[{"id":1,"symbol":"ACME"},{"id":2,"symbol":"Şükrü A.Ş."}]');

// Each record is yielded as soon as it is read: the array is never held whole.
await runExport({
  source: fromJsonArray(createReadStream(input), { maxRecordBytes: 1 << 20 }),
  format: 'csv',
  destination: join(folder, 'from-json-array.csv'),
});
