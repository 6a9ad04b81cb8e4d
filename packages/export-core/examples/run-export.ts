import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runExport } from '@org/export-core';

// Where the files go: a folder the service owns, created once.
const folder = process.env.EXPORT_DIR ?? './exports';
await mkdir(folder, { recursive: true });

function* trades() {
  for (let id = 1; id <= 10_000; id += 1) {
    yield { id, symbol: 'ACME', pnl: `${id % 7}.12345678`, at: new Date(Date.UTC(2026, 0, 1)) };
  }
}

const controller = new AbortController(); // abort() stops the export and removes its temp file
const result = await runExport({
  source: trades(), // array, iterable, async iterable or object-mode Readable
  format: 'csv', // or 'pdf', 'xlsx'
  columns: ['id', 'symbol', { key: 'pnl', header: 'PnL (USD)', type: 'decimal' }, 'at'], // default: the first record's keys
  destination: join(folder, 'trades.csv'), // a path (written atomically) or a Writable
  signal: controller.signal, // optional
  maxRows: 2_000_000, // optional: more records fail with EXPORT_TOO_MANY_ROWS, nothing is left
  onProgress: ({ rows, bytes }) => console.log('progress', rows, bytes), // optional, at most every progressIntervalMs (250)
  unknownFields: 'report', // or 'error': a field no column takes fails with EXPORT_UNKNOWN_FIELD
  nullText: '', // what null and undefined are written as
  timeZone: 'UTC', // IANA name: the zone dates and datetimes are written in
  csv: { profile: 'excel' }, // CSV options below; `pdf: { title, … }` with format 'pdf'
});
console.log(result);
// { format: 'csv', rows: 10000, bytes, sha256, durationMs, path, droppedFields, truncatedCells }
