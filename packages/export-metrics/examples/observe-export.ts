import type { Writable } from 'node:stream';
import { type ExportFormat, runExport } from '@org/export-core';
import { createLimiter } from '@org/export-limiter';
import { bindLimiterMetrics, createExportMetrics, observeExport } from '@org/export-metrics';
import { Registry } from 'prom-client';

export const registry = new Registry();
export const limiter = createLimiter({ maxConcurrent: 5, maxQueue: 100 });
const metrics = createExportMetrics({ registry, limits: { maxConcurrent: 5, maxQueue: 100 } });
bindLimiterMetrics(metrics, limiter); // once: running and queue gauges, memory sampling

function* trades(count: number) {
  for (let id = 1; id <= count; id += 1) yield { id, symbol: 'ACME', qty: id % 100 };
}

/** One export, queued and run by the limiter, observed from queue wait to its last byte. */
export function exportTrades(format: ExportFormat, user: string, destination: Writable | string) {
  return observeExport(metrics, format, (markStarted) =>
    limiter.run(
      (signal) => {
        markStarted(); // the wait ends and the duration starts here
        return runExport({ source: trades(1_000), format, destination, signal });
      },
      { key: user },
    ),
  );
}
