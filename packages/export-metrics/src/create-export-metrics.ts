import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { exportMetricNames } from './metric-names.js';
import { checkRegistryOption, invalidOption } from './option-checks.js';

/** From 10 ms to 5 min: exports range from a few rows to millions. */
export const exportDurationBuckets = Object.freeze([
  0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300,
]);

export interface ExportMetricsOptions {
  /** The registry to register on; never the global one unless passed in. */
  registry: Registry;
  /** Limits exposed as gauges so alerts divide by them instead of hard-coding numbers. */
  limits?: { maxConcurrent: number; maxQueue: number };
}

export interface ExportMetrics {
  readonly registry: Registry;
  readonly requestsTotal: Counter<'format' | 'outcome'>;
  readonly durationSeconds: Histogram<'format'>;
  readonly queueWaitSeconds: Histogram<'format'>;
  readonly rowsTotal: Counter<'format'>;
  readonly bytesTotal: Counter<'format'>;
  readonly failTotal: Counter<'format' | 'reason'>;
  readonly droppedFieldsTotal: Counter<'format'>;
  readonly truncatedCellsTotal: Counter<'format'>;
  readonly concurrentRunning: Gauge;
  readonly queueDepth: Gauge;
  readonly memoryBytes: Gauge;
  readonly concurrentLimit: Gauge;
  readonly queueCapacity: Gauge;
}

export function createExportMetrics(options: ExportMetricsOptions): ExportMetrics {
  const { registry, limits } = normalizeOptions(options);
  const registers = [registry];
  const metrics: ExportMetrics = {
    registry,
    requestsTotal: new Counter({
      name: exportMetricNames.requestsTotal,
      help: 'Export requests by format and outcome.',
      labelNames: ['format', 'outcome'] as const,
      registers,
    }),
    durationSeconds: new Histogram({
      name: exportMetricNames.durationSeconds,
      help: 'Time from the start of an export to its last byte written, in seconds.',
      labelNames: ['format'] as const,
      buckets: [...exportDurationBuckets],
      registers,
    }),
    queueWaitSeconds: new Histogram({
      name: exportMetricNames.queueWaitSeconds,
      help: 'Time an export waited for a free slot, in seconds.',
      labelNames: ['format'] as const,
      buckets: [...exportDurationBuckets],
      registers,
    }),
    rowsTotal: new Counter({
      name: exportMetricNames.rowsTotal,
      help: 'Rows written by exports.',
      labelNames: ['format'] as const,
      registers,
    }),
    bytesTotal: new Counter({
      name: exportMetricNames.bytesTotal,
      help: 'Bytes really written by exports.',
      labelNames: ['format'] as const,
      registers,
    }),
    failTotal: new Counter({
      name: exportMetricNames.failTotal,
      help: 'Failed exports by format and reason.',
      labelNames: ['format', 'reason'] as const,
      registers,
    }),
    droppedFieldsTotal: new Counter({
      name: exportMetricNames.droppedFieldsTotal,
      help: 'Values of record fields that no column took, so they are not in the file.',
      labelNames: ['format'] as const,
      registers,
    }),
    truncatedCellsTotal: new Counter({
      name: exportMetricNames.truncatedCellsTotal,
      help: 'PDF cells whose text was cut to fit its column, with an ellipsis.',
      labelNames: ['format'] as const,
      registers,
    }),
    concurrentRunning: new Gauge({
      name: exportMetricNames.concurrentRunning,
      help: 'Exports running now.',
      registers,
    }),
    queueDepth: new Gauge({
      name: exportMetricNames.queueDepth,
      help: 'Exports waiting for a slot now.',
      registers,
    }),
    memoryBytes: new Gauge({
      name: exportMetricNames.memoryBytes,
      help: 'Resident memory of the process, sampled while exports run, in bytes.',
      registers,
    }),
    concurrentLimit: new Gauge({
      name: exportMetricNames.concurrentLimit,
      help: 'Exports that may run at once.',
      registers,
    }),
    queueCapacity: new Gauge({
      name: exportMetricNames.queueCapacity,
      help: 'Exports that may wait for a slot.',
      registers,
    }),
  };
  if (limits) {
    metrics.concurrentLimit.set(limits.maxConcurrent);
    metrics.queueCapacity.set(limits.maxQueue);
  }
  return metrics;
}

function normalizeOptions(options: ExportMetricsOptions): ExportMetricsOptions {
  if (options === null || typeof options !== 'object') {
    throw invalidOption('options must be an object with a `registry`');
  }
  const { registry, limits } = options;
  checkRegistryOption(registry);
  if (limits !== undefined) {
    for (const name of ['maxConcurrent', 'maxQueue'] as const) {
      const value = limits[name];
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
        throw invalidOption(
          `option \`limits.${name}\` must be an integer >= 0, got ${String(value)}`,
        );
      }
    }
  }
  return options;
}
