import { createReadStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createExportPool } from '@org/export-core';

const folder = process.env.EXPORT_DIR ?? './exports';
const job = join(folder, 'jobs', '42');
await mkdir(job, { recursive: true });
const upload = join(folder, 'upload.ndjson');
await writeFile(upload, '{"id":1,"qty":5}\n{"id":2,"qty":7}\n');

const pool = createExportPool({ size: 2 });
// Accept now: the records are checked, counted and saved, then fsynced.
const { rows, bytes, firstRecord } = await pool.spool({
  source: { ndjson: createReadStream(upload), maxLineBytes: 1 << 20 },
  destination: join(job, 'input.ndjson'),
  maxRows: 2_000_000,
});
console.log(rows, bytes, firstRecord); // 2 34 { id: 1, qty: 5 }
// Export later, from the saved file.
await pool.run({
  source: { ndjson: { file: join(job, 'input.ndjson') } },
  format: 'csv',
  destination: join(job, 'export.csv'),
});
await pool.close();
