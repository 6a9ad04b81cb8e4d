import { register as globalRegistry, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createExportMetrics, type ExportMetricsOptions } from './create-export-metrics.js';
import { exportMetricNames } from './metric-names.js';

function familiesIn(exposition: string): Map<string, string> {
  const types = new Map<string, string>();
  for (const line of exposition.split('\n')) {
    const match = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (match?.[1] && match[2]) types.set(match[1], match[2]);
  }
  return types;
}

describe('createExportMetrics', () => {
  it('registers every export family with its Prometheus type on the registry passed in', async () => {
    const registry = new Registry();
    createExportMetrics({ registry });
    const families = familiesIn(await registry.metrics());
    expect(Object.fromEntries(families)).toEqual({
      export_requests_total: 'counter',
      export_duration_seconds: 'histogram',
      export_queue_wait_seconds: 'histogram',
      export_rows_total: 'counter',
      export_bytes_total: 'counter',
      export_fail_total: 'counter',
      export_dropped_fields_total: 'counter',
      export_truncated_cells_total: 'counter',
      export_concurrent_running: 'gauge',
      export_queue_depth: 'gauge',
      export_memory_bytes: 'gauge',
      export_concurrent_limit: 'gauge',
      export_queue_capacity: 'gauge',
    });
    expect([...families.keys()].sort()).toEqual(Object.values(exportMetricNames).sort());
  });

  it('leaves the global registry alone', async () => {
    createExportMetrics({ registry: new Registry() });
    expect(await globalRegistry.metrics()).not.toContain('export_');
  });

  it('can be created on two registries side by side', () => {
    expect(() => {
      createExportMetrics({ registry: new Registry() });
      createExportMetrics({ registry: new Registry() });
    }).not.toThrow();
  });

  it('exposes the limits as gauges', async () => {
    const registry = new Registry();
    createExportMetrics({ registry, limits: { maxConcurrent: 5, maxQueue: 100 } });
    const exposition = await registry.metrics();
    expect(exposition).toContain('\nexport_concurrent_limit 5\n');
    expect(exposition).toContain('\nexport_queue_capacity 100\n');
  });

  it('counts exactly what is recorded, by label', async () => {
    const registry = new Registry();
    const metrics = createExportMetrics({ registry });
    metrics.requestsTotal.inc({ format: 'csv', outcome: 'success' });
    metrics.requestsTotal.inc({ format: 'csv', outcome: 'success' });
    metrics.bytesTotal.inc({ format: 'pdf' }, 2048);
    metrics.durationSeconds.observe({ format: 'csv' }, 0.2);
    const exposition = await registry.metrics();
    expect(exposition).toContain('export_requests_total{format="csv",outcome="success"} 2');
    expect(exposition).toContain('export_bytes_total{format="pdf"} 2048');
    expect(exposition).toContain('export_duration_seconds_bucket{le="0.1",format="csv"} 0');
    expect(exposition).toContain('export_duration_seconds_bucket{le="0.25",format="csv"} 1');
    expect(exposition).toContain('export_duration_seconds_bucket{le="300",format="csv"} 1');
  });

  it.each<[unknown, string]>([
    [undefined, 'options must be an object with a `registry`'],
    [{}, 'option `registry` must be a prom-client Registry'],
    [{ registry: {} }, 'option `registry` must be a prom-client Registry'],
    [
      { registry: new Registry(), limits: { maxConcurrent: -1, maxQueue: 1 } },
      'option `limits.maxConcurrent` must be an integer >= 0, got -1',
    ],
  ])('rejects %o with EXPORT_METRICS_INVALID_OPTION', (options, message) => {
    expect(() => createExportMetrics(options as ExportMetricsOptions)).toThrowError(
      expect.objectContaining({ code: 'EXPORT_METRICS_INVALID_OPTION', message }),
    );
  });
});
