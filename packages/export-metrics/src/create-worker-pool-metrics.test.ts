import { Registry } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import { createClusterMetrics } from './create-cluster-metrics.js';
import { createExportMetrics } from './create-export-metrics.js';
import {
  createWorkerPoolMetrics,
  type WorkerPoolMetricsOptions,
  type WorkerPoolMetricsSample,
} from './create-worker-pool-metrics.js';
import { workerPoolMetricNames } from './metric-names.js';

const sample: WorkerPoolMetricsSample = { workers: 4, busy: 3 };

const gaugeNames = ['export_workers', 'export_workers_busy'];

function familiesIn(exposition: string): Map<string, string> {
  const types = new Map<string, string>();
  for (const line of exposition.split('\n')) {
    const match = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (match?.[1] && match[2]) types.set(match[1], match[2]);
  }
  return types;
}

/** The value of a sample without labels, or undefined when the family has no sample. */
function sampleValue(exposition: string, name: string): number | undefined {
  const line = exposition.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}

describe('createWorkerPoolMetrics', () => {
  it('registers the two worker pool gauges on the registry passed in', async () => {
    const registry = new Registry();
    createWorkerPoolMetrics({ registry, read: () => sample });
    const families = familiesIn(await registry.metrics());
    expect(Object.fromEntries(families)).toEqual({
      export_workers: 'gauge',
      export_workers_busy: 'gauge',
    });
    expect([...families.keys()].sort()).toEqual(Object.values(workerPoolMetricNames).sort());
  });

  it('sits beside the export and cluster families on one registry', async () => {
    const registry = new Registry();
    createExportMetrics({ registry });
    createClusterMetrics({
      registry,
      read: async () => ({ queued: 7, running: 12, maxConcurrent: 20, maxQueue: 500 }),
    });
    createWorkerPoolMetrics({ registry, read: () => sample });
    const exposition = await registry.metrics();
    expect(exposition).toContain('\nexport_concurrent_running 0\n');
    expect(exposition).toContain('\nexport_cluster_running 12\n');
    expect(exposition).toContain('\nexport_workers 4\n');
    expect(exposition).toContain('\nexport_workers_busy 3\n');
  });

  it('exposes the values read at scrape time', async () => {
    const registry = new Registry();
    let current = sample;
    createWorkerPoolMetrics({ registry, read: () => current });
    let exposition = await registry.metrics();
    expect(sampleValue(exposition, 'export_workers')).toBe(4);
    expect(sampleValue(exposition, 'export_workers_busy')).toBe(3);
    current = { workers: 4, busy: 0 };
    exposition = await registry.metrics();
    expect(sampleValue(exposition, 'export_workers')).toBe(4);
    expect(sampleValue(exposition, 'export_workers_busy')).toBe(0);
  });

  it('reads the pool once per scrape, for both gauges', async () => {
    const registry = new Registry();
    const read = vi.fn(() => sample);
    createWorkerPoolMetrics({ registry, read });
    await registry.metrics();
    expect(read).toHaveBeenCalledTimes(1);
    await registry.metrics();
    expect(read).toHaveBeenCalledTimes(2);
    await registry.getMetricsAsJSON();
    expect(read).toHaveBeenCalledTimes(3);
  });

  it('takes both gauges of a scrape from the same read', async () => {
    const registry = new Registry();
    let reads = 0;
    createWorkerPoolMetrics({
      registry,
      read: () => {
        reads += 1;
        return { workers: 10 * reads, busy: reads };
      },
    });
    const exposition = await registry.metrics();
    expect(sampleValue(exposition, 'export_workers')).toBe(10);
    expect(sampleValue(exposition, 'export_workers_busy')).toBe(1);
  });

  it('answers a scrape whose read throws, with the gauges and no sample of them', async () => {
    const registry = new Registry();
    createWorkerPoolMetrics({
      registry,
      read: () => {
        throw new Error('the pool is gone');
      },
    });
    const exposition = await registry.metrics();
    for (const name of gaugeNames) {
      expect(exposition, name).toContain(`# TYPE ${name} gauge`);
      expect(sampleValue(exposition, name), name).toBeUndefined();
    }
  });

  it('serves no stale value after a failed read, and the values again after a good one', async () => {
    const registry = new Registry();
    let readable = true;
    createWorkerPoolMetrics({
      registry,
      read: () => {
        if (!readable) throw new Error('the pool is gone');
        return sample;
      },
    });
    expect(sampleValue(await registry.metrics(), 'export_workers')).toBe(4);
    readable = false;
    let exposition = await registry.metrics();
    for (const name of gaugeNames) expect(sampleValue(exposition, name), name).toBeUndefined();
    readable = true;
    exposition = await registry.metrics();
    expect(sampleValue(exposition, 'export_workers')).toBe(4);
    expect(sampleValue(exposition, 'export_workers_busy')).toBe(3);
  });

  it('takes a read that returns a rejected promise as no sample, without an unhandled rejection', async () => {
    const registry = new Registry();
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const read = (async () => {
        throw new Error('not a synchronous read');
      }) as unknown as WorkerPoolMetricsOptions['read'];
      createWorkerPoolMetrics({ registry, read });
      const exposition = await registry.metrics();
      for (const name of gaugeNames) expect(sampleValue(exposition, name), name).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['a missing field', { workers: 4 }],
    ['a string', { ...sample, busy: '3' }],
    ['NaN', { ...sample, workers: Number.NaN }],
    ['Infinity', { ...sample, workers: Number.POSITIVE_INFINITY }],
    ['a negative count', { ...sample, busy: -1 }],
    ['a promise', Promise.resolve(sample)],
  ])('serves no sample when the read returns %s', async (_case, value) => {
    const registry = new Registry();
    const read = () => value as WorkerPoolMetricsSample;
    createWorkerPoolMetrics({ registry, read });
    const exposition = await registry.metrics();
    for (const name of gaugeNames) expect(sampleValue(exposition, name), name).toBeUndefined();
  });

  it.each<[unknown, string]>([
    [undefined, 'options must be an object with a `registry` and a `read` function'],
    [null, 'options must be an object with a `registry` and a `read` function'],
    [{ read: () => sample }, 'option `registry` must be a prom-client Registry'],
    [{ registry: {}, read: () => sample }, 'option `registry` must be a prom-client Registry'],
    [{ registry: new Registry() }, 'option `read` must be a function, got undefined'],
    [{ registry: new Registry(), read: null }, 'option `read` must be a function, got null'],
    [{ registry: new Registry(), read: sample }, 'option `read` must be a function, got object'],
  ])('rejects %o with EXPORT_METRICS_INVALID_OPTION', (options, message) => {
    expect(() => createWorkerPoolMetrics(options as WorkerPoolMetricsOptions)).toThrowError(
      expect.objectContaining({
        name: 'ExportMetricsError',
        code: 'EXPORT_METRICS_INVALID_OPTION',
        message,
      }),
    );
  });
});
