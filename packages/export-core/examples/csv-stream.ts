import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createCsvStream } from '@org/export-core';

interface Trade {
  id: number;
  amount: string;
}

const folder = process.env.EXPORT_DIR ?? './exports';
await mkdir(folder, { recursive: true });
const trades: Trade[] = [
  { id: 1, amount: '100.10' },
  { id: 2, amount: '-3.25' },
];

// Any Writable at the end: a file here, an HTTP response in a service.
await pipeline(
  Readable.from(trades),
  createCsvStream({ profile: 'excel' }),
  createWriteStream(join(folder, 'stream.csv')),
);
// Typed records: each column key must be a field of Trade.
await pipeline(
  Readable.from(trades),
  createCsvStream<Trade>({ columns: ['id', { key: 'amount', type: 'decimal' }] }),
  createWriteStream(join(folder, 'typed-stream.csv')),
);
