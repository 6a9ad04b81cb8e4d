import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExportError, runExport } from '@org/export-core';

const folder = process.env.EXPORT_DIR ?? './exports';
await mkdir(folder, { recursive: true });

// A source slower than the deadline: a cursor over a slow query, say.
async function* slowTrades() {
  for (let id = 1; ; id += 1) {
    await sleep(10);
    yield { id };
  }
}

try {
  await runExport({
    source: slowTrades(),
    format: 'csv',
    destination: join(folder, 'slow.csv'),
    signal: AbortSignal.timeout(200), // a minute, AbortSignal.timeout(60_000), in real life
  });
} catch (error) {
  // A deadline is told apart from a caller who gave up (EXPORT_ABORTED); no file is left.
  if (!(error instanceof ExportError && error.code === 'EXPORT_TIMEOUT')) throw error;
  console.log(error.code, error.name); // EXPORT_TIMEOUT TimeoutError
}
