import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runExport } from '@org/export-core';

interface Trade {
  id: number;
  amount: number;
}

const folder = process.env.EXPORT_DIR ?? './exports';
await mkdir(folder, { recursive: true });
const trades: Trade[] = [
  { id: 1, amount: 100.5 },
  { id: 2, amount: -3.25 },
];
const destination = join(folder, 'typed.csv');

await runExport({ source: trades, format: 'csv', columns: ['id', 'amount'], destination });
// @ts-expect-error: TS2820 Type '"amuont"' is not assignable to type … Did you mean '"amount"'?
await runExport({ source: trades, format: 'csv', columns: ['id', 'amuont'], destination });
