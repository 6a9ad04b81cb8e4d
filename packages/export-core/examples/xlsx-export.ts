import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runExport } from '@org/export-core';

const folder = process.env.EXPORT_DIR ?? './exports';
await mkdir(folder, { recursive: true });

const trades = [
  { id: 1, symbol: 'ACME', qty: '00120', pnl: '1234.5', at: '2026-01-02T09:30:00Z', done: true },
  { id: 9007199254740993n, symbol: '=SUM(A1)', qty: '7', pnl: '-3.5', at: null, done: false },
];
const result = await runExport({
  source: trades,
  format: 'xlsx',
  columns: [
    'id', // a number cell; 9007199254740993 is beyond a double, so it is written as text
    'symbol', // strings are always text: "=SUM(A1)" is never a formula
    'qty', // a string without a type: text, its leading zeros kept
    { key: 'pnl', header: 'PnL', type: 'decimal' }, // a numeric string made a number cell
    { key: 'at', type: 'datetime' }, // a date cell, shown in `timeZone`
    'done', // a boolean cell
  ],
  timeZone: 'Europe/Istanbul',
  destination: join(folder, 'trades.xlsx'),
  xlsx: { sheetName: 'Trades', title: 'Trades', author: 'alice' },
});
console.log(result); // { format: 'xlsx', rows: 2, bytes, sha256, durationMs, path, … }
