import { expect, it } from 'vitest';
import { limiter, registry } from './limiter-metrics.js';

it('counts what the limiter did in the prom-client registry of the README example', async () => {
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  // Two slots and a queue of ten: two run, ten wait, the thirteenth is refused.
  const runs = Array.from({ length: 12 }, () => limiter.run(() => held));
  await expect(limiter.run(() => held)).rejects.toMatchObject({ code: 'LIMITER_QUEUE_FULL' });
  const samplesOf = async (name: string) => (await registry.getSingleMetric(name)?.get())?.values;
  expect(await samplesOf('app_export_running')).toMatchObject([{ value: 2 }]);
  expect(await samplesOf('app_export_queued')).toMatchObject([{ value: 10 }]);
  expect(await samplesOf('app_export_rejected_total')).toMatchObject([
    { labels: { reason: 'queue_full' }, value: 1 },
  ]);
  release();
  await Promise.all(runs);
  expect(await samplesOf('app_export_running')).toMatchObject([{ value: 0 }]);
  expect(await samplesOf('app_export_queued')).toMatchObject([{ value: 0 }]);
  const exposition = await registry.metrics();
  expect(exposition).toContain('app_export_run_seconds_count{outcome="success"} 12');
  expect(exposition).toContain('app_export_queue_wait_seconds_count 12');
  await limiter.close();
});
