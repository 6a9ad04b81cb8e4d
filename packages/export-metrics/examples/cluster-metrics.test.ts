import { expect, it } from 'vitest';
import { registry, sharedQueue } from './cluster-metrics.js';

it('reads the shared queue at each scrape', async () => {
  expect(await registry.metrics()).toContain('export_cluster_queue_depth 3');
  sharedQueue.waiting = 7;
  const exposition = await registry.metrics();
  expect(exposition).toContain('export_cluster_queue_depth 7');
  expect(exposition).toContain('export_cluster_running 2');
  expect(exposition).toContain('export_cluster_concurrent_limit 8');
  expect(exposition).toContain('export_cluster_queue_capacity 500');
});
