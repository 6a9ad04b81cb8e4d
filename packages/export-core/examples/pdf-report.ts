import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runExport } from '@org/export-core';

const folder = process.env.EXPORT_DIR ?? './exports';
await mkdir(folder, { recursive: true });

const trades = [
  { id: 1n, symbol: 'ACME', trader: 'Şükrü Çağlar', pnl: '1234567890.12345678' },
  { id: 9007199254740993n, symbol: 'İNİT', trader: 'Αλέξανδρος', pnl: '-3.5' },
];
const result = await runExport({
  source: trades, // any iterable, async iterable or object-mode Readable
  format: 'pdf', // or 'csv', 'xlsx'
  columns: ['id', 'symbol', 'trader', { key: 'pnl', header: 'PnL', type: 'decimal' }],
  destination: join(folder, 'trades.pdf'), // written atomically; or any Writable
  pdf: { title: 'Trades', meta: ['User: alice'] },
});
console.log(result); // { format: 'pdf', rows: 2, bytes, sha256, durationMs, path, … }
