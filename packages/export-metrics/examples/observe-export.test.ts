import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { exportTrades, limiter, registry } from './observe-export.js';

function discard() {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}

it('counts a real export, its rows and bytes, and a cancelled one', async () => {
  const result = await exportTrades('csv', 'alice', discard());
  expect(result.rows).toBe(1_000);
  const exposition = await registry.metrics();
  expect(exposition).toContain('export_requests_total{format="csv",outcome="success"} 1');
  expect(exposition).toContain('export_rows_total{format="csv"} 1000');
  expect(exposition).toContain(`export_bytes_total{format="csv"} ${result.bytes}`);
  expect(exposition).toContain('export_duration_seconds_count{format="csv"} 1');
  expect(exposition).toContain('export_concurrent_running 0');
  await limiter.close();
  await expect(exportTrades('pdf', 'alice', discard())).rejects.toMatchObject({
    code: 'LIMITER_CLOSED',
  });
  expect(await registry.metrics()).toContain(
    'export_requests_total{format="pdf",outcome="rejected"} 1',
  );
});
