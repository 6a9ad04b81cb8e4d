import { afterAll, expect, it } from 'vitest';
import { pool, registry } from './worker-pool-metrics.js';

afterAll(() => pool.close());

it('shows the pool size, and no busy worker while nothing runs', async () => {
  const exposition = await registry.metrics();
  expect(exposition).toContain('export_workers 2');
  expect(exposition).toContain('export_workers_busy 0');
});
