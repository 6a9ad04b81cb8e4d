import { Counter, type Registry } from 'prom-client';
import { ExportMetricsError } from './errors.js';
import { webhookMetricNames } from './metric-names.js';

/**
 * How one delivery attempt went: `delivered` (a 2xx), `retry` (not delivered, tried again
 * later) or `failed` (not delivered, given up: a 4xx or 3xx, or the last attempt).
 */
export const webhookOutcomeLabelValues = Object.freeze(['delivered', 'retry', 'failed'] as const);
export type WebhookOutcomeLabel = (typeof webhookOutcomeLabelValues)[number];

export interface WebhookMetricsOptions {
  /** The registry to register on; never the global one unless passed in. */
  registry: Registry;
}

export interface WebhookMetrics {
  readonly registry: Registry;
  readonly deliveriesTotal: Counter<'outcome'>;
  /** Counts one attempt; an outcome outside `webhookOutcomeLabelValues` throws. */
  countAttempt(outcome: WebhookOutcomeLabel): void;
}

/**
 * `export_webhook_deliveries_total{outcome}`, every outcome at 0 from the start, so a rate over
 * `failed` has a series before the first failure.
 */
export function createWebhookMetrics(options: WebhookMetricsOptions): WebhookMetrics {
  const registry = options?.registry as Registry | undefined;
  if (typeof registry?.registerMetric !== 'function') {
    throw new ExportMetricsError(
      'EXPORT_METRICS_INVALID_OPTION',
      'option `registry` must be a prom-client Registry',
    );
  }
  const deliveriesTotal = new Counter({
    name: webhookMetricNames.deliveriesTotal,
    help: 'Completion webhook delivery attempts, by outcome: delivered, retry (tried again later) or failed (given up).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  for (const outcome of webhookOutcomeLabelValues) deliveriesTotal.inc({ outcome }, 0);
  return {
    registry,
    deliveriesTotal,
    countAttempt(outcome) {
      if (!webhookOutcomeLabelValues.includes(outcome)) {
        throw new ExportMetricsError(
          'EXPORT_METRICS_INVALID_OPTION',
          `a webhook outcome must be one of ${webhookOutcomeLabelValues.join(', ')}, got ${String(outcome)}`,
        );
      }
      deliveriesTotal.inc({ outcome });
    },
  };
}
