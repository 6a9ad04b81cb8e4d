import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createWebhookMetrics, type WebhookOutcomeLabel } from './create-webhook-metrics.js';

function samples(exposition: string): Record<string, number> {
  const values: Record<string, number> = {};
  for (const line of exposition.split('\n')) {
    const match = /^export_webhook_deliveries_total\{outcome="(\w+)"\} (\S+)$/.exec(line);
    if (match?.[1] && match[2]) values[match[1]] = Number(match[2]);
  }
  return values;
}

describe('createWebhookMetrics', () => {
  it('registers export_webhook_deliveries_total with every outcome at 0', async () => {
    const registry = new Registry();
    createWebhookMetrics({ registry });
    const exposition = await registry.metrics();
    expect(exposition).toContain('# TYPE export_webhook_deliveries_total counter');
    expect(samples(exposition)).toEqual({ delivered: 0, retry: 0, failed: 0 });
  });

  it('counts each attempt under its outcome', async () => {
    const registry = new Registry();
    const metrics = createWebhookMetrics({ registry });
    metrics.countAttempt('retry');
    metrics.countAttempt('retry');
    metrics.countAttempt('delivered');
    expect(samples(await registry.metrics())).toEqual({ delivered: 1, retry: 2, failed: 0 });
  });

  it('refuses an unknown outcome and a missing registry with EXPORT_METRICS_INVALID_OPTION', () => {
    const metrics = createWebhookMetrics({ registry: new Registry() });
    expect(() => metrics.countAttempt('lost' as WebhookOutcomeLabel)).toThrow(
      expect.objectContaining({ code: 'EXPORT_METRICS_INVALID_OPTION' }),
    );
    expect(() => createWebhookMetrics({} as never)).toThrow(
      expect.objectContaining({ code: 'EXPORT_METRICS_INVALID_OPTION' }),
    );
  });
});
