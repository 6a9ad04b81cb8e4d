import { expect, it, vi } from 'vitest';

it('shows the pool size, and no busy worker while nothing runs', async () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    await import('./worker-pool-metrics.js');
    const exposition = String(log.mock.calls[0]?.[0]);
    expect(exposition).toContain('export_workers 2');
    expect(exposition).toContain('export_workers_busy 0');
  } finally {
    log.mockRestore();
  }
});
