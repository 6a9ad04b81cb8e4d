import { expect, it, vi } from 'vitest';

it('runs the README example: two exports counted, the unknown format as other', async () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    await import('./create-export-metrics.js');
    const exposition = String(log.mock.calls[0]?.[0]);
    expect(exposition).toContain('export_requests_total{format="csv",outcome="success"} 1');
    expect(exposition).toContain('export_requests_total{format="other",outcome="success"} 1');
    expect(exposition).toContain('export_duration_seconds_count{format="csv"} 1');
    expect(exposition).toContain('export_concurrent_limit 5');
    expect(exposition).not.toContain('DROP TABLE');
  } finally {
    log.mockRestore();
  }
});
