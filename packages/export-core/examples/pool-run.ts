import { createReadStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createExportPool } from '@org/export-core';

const folder = process.env.EXPORT_DIR ?? './exports';
await mkdir(folder, { recursive: true });
const upload = join(folder, 'upload.ndjson');
await writeFile(upload, '{"id":1,"trader":"Şükrü"}\n{"id":2,"trader":"Αλέξανδρος"}\n');

// One pool per process, created at startup and closed at shutdown.
const pool = createExportPool({ size: 4, maxHeapMb: 512 });

// NDJSON bytes as they arrive (an HTTP upload, here a file), parsed on a worker; the PDF is
// written there, atomically.
const controller = new AbortController();
const result = await pool.run({
  source: { ndjson: createReadStream(upload), maxLineBytes: 1 << 20 },
  format: 'pdf',
  destination: join(folder, 'trades.pdf'),
  pdf: { title: 'Trades' },
  signal: controller.signal,
});
console.log(result); // { format: 'pdf', rows: 2, bytes, sha256, durationMs, path, … }

await pool.close();
