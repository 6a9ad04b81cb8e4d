import { spawnSync } from 'node:child_process';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createExportMetrics } from './create-export-metrics.js';
import { observeExport } from './observe-export.js';

const hasPromtool = spawnSync('promtool', ['--version']).status === 0;

describe('the exposition', () => {
  // .ci/run installs Debian's prometheus package, so CI always runs this.
  it.skipIf(!hasPromtool)('passes promtool check metrics with no problems', async () => {
    const registry = new Registry();
    const metrics = createExportMetrics({ registry, limits: { maxConcurrent: 5, maxQueue: 100 } });
    await observeExport(metrics, 'csv', async (markStarted) => {
      markStarted();
      return { rows: 3, bytes: 120 };
    });
    await observeExport(metrics, 'pdf', async () => {
      throw Object.assign(new Error('x'), { code: 'EXPORT_WRITE_FAILED' });
    }).catch(() => {});
    const result = spawnSync('promtool', ['check', 'metrics'], {
      input: await registry.metrics(),
      encoding: 'utf8',
    });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
