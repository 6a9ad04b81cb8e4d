import { createExportMetrics, formatLabelValues, toLabelValue } from '@org/export-metrics';
import { Registry } from 'prom-client';

// Your registry, never prom-client's global one: serve it on GET /metrics.
export const registry = new Registry();
export const metrics = createExportMetrics({
  registry,
  limits: { maxConcurrent: 5, maxQueue: 100 },
});

/** Counts one finished export; a format no label knows is counted as `other`. */
export function countFinishedExport(requestedFormat: string, seconds: number): void {
  const format = toLabelValue(formatLabelValues, requestedFormat);
  metrics.requestsTotal.inc({ format, outcome: 'success' });
  metrics.durationSeconds.observe({ format }, seconds);
}

countFinishedExport('csv', 1.8);
countFinishedExport('xlsx; DROP TABLE', 0.2); // counted as format="other"
console.log(await registry.metrics()); // the Prometheus exposition
