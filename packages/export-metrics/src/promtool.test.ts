import { spawnSync } from 'node:child_process';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createClusterMetrics } from './create-cluster-metrics.js';
import { createExportMetrics } from './create-export-metrics.js';
import { createWorkerPoolMetrics } from './create-worker-pool-metrics.js';
import { observeExport } from './observe-export.js';

const hasPromtool = spawnSync('promtool', ['--version']).status === 0;

function checkMetrics(exposition: string) {
  const result = spawnSync('promtool', ['check', 'metrics'], {
    input: exposition,
    encoding: 'utf8',
  });
  return { status: result.status, output: result.stdout + result.stderr };
}

describe('the exposition', () => {
  // .ci/run installs Debian's prometheus package, so CI always runs this.
  it.skipIf(!hasPromtool)('passes promtool check metrics with no problems', async () => {
    const registry = new Registry();
    const metrics = createExportMetrics({ registry, limits: { maxConcurrent: 5, maxQueue: 100 } });
    createClusterMetrics({
      registry,
      read: async () => ({ queued: 7, running: 12, maxConcurrent: 20, maxQueue: 500 }),
    });
    createWorkerPoolMetrics({ registry, read: () => ({ workers: 4, busy: 3 }) });
    await observeExport(metrics, 'csv', async (markStarted) => {
      markStarted();
      return { rows: 3, bytes: 120 };
    });
    await observeExport(metrics, 'pdf', async () => {
      throw Object.assign(new Error('x'), { code: 'EXPORT_WRITE_FAILED' });
    }).catch(() => {});
    const exposition = await registry.metrics();
    expect(exposition).toContain('\nexport_cluster_queue_depth 7\n');
    expect(exposition).toContain('\nexport_workers_busy 3\n');
    const { status, output } = checkMetrics(exposition);
    expect(output).toBe('');
    expect(status).toBe(0);
  });

  it.skipIf(!hasPromtool)(
    'passes promtool check metrics when the cluster and pool states could not be read',
    async () => {
      const registry = new Registry();
      createClusterMetrics({
        registry,
        read: async () => {
          throw new Error('connect ECONNREFUSED');
        },
      });
      createWorkerPoolMetrics({
        registry,
        read: () => {
          throw new Error('the pool is gone');
        },
      });
      const exposition = await registry.metrics();
      expect(exposition).toContain('\nexport_cluster_read_failures_total 1\n');
      const { status, output } = checkMetrics(exposition);
      expect(output).toBe('');
      expect(status).toBe(0);
    },
  );
});
