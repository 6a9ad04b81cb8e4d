import { Registry } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import {
  type ClusterMetricsOptions,
  type ClusterMetricsSample,
  createClusterMetrics,
} from './create-cluster-metrics.js';
import { createExportMetrics } from './create-export-metrics.js';
import { clusterMetricNames } from './metric-names.js';

const sample: ClusterMetricsSample = {
  running: 12,
  queued: 7,
  maxConcurrent: 20,
  maxQueue: 500,
};

const gaugeNames = [
  'export_cluster_queue_depth',
  'export_cluster_running',
  'export_cluster_concurrent_limit',
  'export_cluster_queue_capacity',
];

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

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

describe('createClusterMetrics', () => {
  it('registers the five cluster families with their Prometheus type on the registry passed in', async () => {
    const registry = new Registry();
    createClusterMetrics({ registry, read: async () => sample });
    const families = familiesIn(await registry.metrics());
    expect(Object.fromEntries(families)).toEqual({
      export_cluster_queue_depth: 'gauge',
      export_cluster_running: 'gauge',
      export_cluster_concurrent_limit: 'gauge',
      export_cluster_queue_capacity: 'gauge',
      export_cluster_read_failures_total: 'counter',
    });
    expect([...families.keys()].sort()).toEqual(Object.values(clusterMetricNames).sort());
  });

  it('sits beside the export families on one registry', async () => {
    const registry = new Registry();
    createExportMetrics({ registry });
    createClusterMetrics({ registry, read: async () => sample });
    const exposition = await registry.metrics();
    expect(exposition).toContain('\nexport_queue_depth 0\n');
    expect(exposition).toContain('\nexport_cluster_queue_depth 7\n');
  });

  it('exposes the values read at scrape time', async () => {
    const registry = new Registry();
    let current = sample;
    createClusterMetrics({ registry, read: async () => current });
    let exposition = await registry.metrics();
    expect(sampleValue(exposition, 'export_cluster_queue_depth')).toBe(7);
    expect(sampleValue(exposition, 'export_cluster_running')).toBe(12);
    expect(sampleValue(exposition, 'export_cluster_concurrent_limit')).toBe(20);
    expect(sampleValue(exposition, 'export_cluster_queue_capacity')).toBe(500);
    expect(sampleValue(exposition, 'export_cluster_read_failures_total')).toBe(0);
    current = { ...sample, queued: 0, running: 3 };
    exposition = await registry.metrics();
    expect(sampleValue(exposition, 'export_cluster_queue_depth')).toBe(0);
    expect(sampleValue(exposition, 'export_cluster_running')).toBe(3);
  });

  it("takes a state in the limiter's words straight in, whatever else it holds", async () => {
    const registry = new Registry();
    // What a limiter's stats() holds: running, queued and the limits, among other counts.
    const stats = { ...sample, maxPerKey: 2, completed: 40, failed: 1, rejected: 3 };
    createClusterMetrics({ registry, read: async () => stats });
    const exposition = await registry.metrics();
    expect(sampleValue(exposition, 'export_cluster_queue_depth')).toBe(7);
    expect(sampleValue(exposition, 'export_cluster_running')).toBe(12);
    expect(sampleValue(exposition, 'export_cluster_read_failures_total')).toBe(0);
  });

  it('reads the cluster state once per scrape, for all the families', async () => {
    const registry = new Registry();
    const read = vi.fn(async () => sample);
    createClusterMetrics({ registry, read });
    await registry.metrics();
    expect(read).toHaveBeenCalledTimes(1);
    await registry.metrics();
    expect(read).toHaveBeenCalledTimes(2);
    await registry.getMetricsAsJSON();
    expect(read).toHaveBeenCalledTimes(3);
  });

  it('shares a slow read between the families of one scrape', async () => {
    const registry = new Registry();
    const pending = deferred<ClusterMetricsSample>();
    const read = vi.fn(() => pending.promise);
    createClusterMetrics({ registry, read });
    const scrape = registry.metrics();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(read).toHaveBeenCalledTimes(1);
    pending.resolve(sample);
    const exposition = await scrape;
    expect(read).toHaveBeenCalledTimes(1);
    for (const name of gaugeNames) expect(sampleValue(exposition, name), name).toBeDefined();
  });

  it('answers a scrape whose read fails, with no gauge sample and one more read failure', async () => {
    const registry = new Registry();
    createClusterMetrics({
      registry,
      read: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
      },
    });
    const exposition = await registry.metrics();
    for (const name of gaugeNames) {
      expect(exposition, name).toContain(`# TYPE ${name} gauge`);
      expect(sampleValue(exposition, name), name).toBeUndefined();
    }
    expect(sampleValue(exposition, 'export_cluster_read_failures_total')).toBe(1);
  });

  it('serves no stale value after a failed read, and the values again after a good one', async () => {
    const registry = new Registry();
    let redisUp = true;
    createClusterMetrics({
      registry,
      read: async () => {
        if (!redisUp) throw new Error('Connection is closed.');
        return sample;
      },
    });
    expect(sampleValue(await registry.metrics(), 'export_cluster_queue_depth')).toBe(7);
    redisUp = false;
    let exposition = await registry.metrics();
    expect(sampleValue(exposition, 'export_cluster_queue_depth')).toBeUndefined();
    expect(sampleValue(exposition, 'export_cluster_read_failures_total')).toBe(1);
    exposition = await registry.metrics();
    expect(sampleValue(exposition, 'export_cluster_read_failures_total')).toBe(2);
    redisUp = true;
    exposition = await registry.metrics();
    expect(sampleValue(exposition, 'export_cluster_queue_depth')).toBe(7);
    expect(sampleValue(exposition, 'export_cluster_concurrent_limit')).toBe(20);
    expect(sampleValue(exposition, 'export_cluster_read_failures_total')).toBe(2);
  });

  it('counts a read that throws before returning a promise as a failed read', async () => {
    const registry = new Registry();
    const read = (() => {
      throw new Error('not connected');
    }) as unknown as ClusterMetricsOptions['read'];
    createClusterMetrics({ registry, read });
    const exposition = await registry.metrics();
    expect(sampleValue(exposition, 'export_cluster_running')).toBeUndefined();
    expect(sampleValue(exposition, 'export_cluster_read_failures_total')).toBe(1);
  });

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['a missing field', { queued: 1, running: 1, maxConcurrent: 1 }],
    [
      'queueDepth, the old name of queued',
      { queueDepth: 7, running: 12, maxConcurrent: 20, maxQueue: 500 },
    ],
    ['a string', { ...sample, running: '3' }],
    ['NaN', { ...sample, queued: Number.NaN }],
    ['a negative count', { ...sample, maxQueue: -1 }],
  ])('counts a read that resolves to %s as a failed read', async (_case, value) => {
    const registry = new Registry();
    const read = async () => value as ClusterMetricsSample;
    createClusterMetrics({ registry, read });
    const exposition = await registry.metrics();
    for (const name of gaugeNames) expect(sampleValue(exposition, name), name).toBeUndefined();
    expect(sampleValue(exposition, 'export_cluster_read_failures_total')).toBe(1);
  });

  it.each<[unknown, string]>([
    [undefined, 'options must be an object with a `registry` and a `read` function'],
    [{ read: async () => sample }, 'option `registry` must be a prom-client Registry'],
    [
      { registry: {}, read: async () => sample },
      'option `registry` must be a prom-client Registry',
    ],
    [{ registry: new Registry() }, 'option `read` must be a function, got undefined'],
    [{ registry: new Registry(), read: sample }, 'option `read` must be a function, got object'],
  ])('rejects %o with EXPORT_METRICS_INVALID_OPTION', (options, message) => {
    expect(() => createClusterMetrics(options as ClusterMetricsOptions)).toThrowError(
      expect.objectContaining({
        name: 'ExportMetricsError',
        code: 'EXPORT_METRICS_INVALID_OPTION',
        message,
      }),
    );
  });
});
