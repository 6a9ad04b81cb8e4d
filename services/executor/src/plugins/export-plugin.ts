import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { exportFormats } from '@org/export-core';
import { type LimiterOptions, normalizeLimiterOptions } from '@org/export-limiter';
import { createExportMetrics, type ExportMetrics } from '@org/export-metrics';
import type { Registry } from 'prom-client';
import { metricsRoutes } from '../routes/metrics.js';

export interface ExportPluginOptions {
  /** The registry the export metrics live on, and that `/metrics` exposes. */
  registry: Registry;
  limiter?: LimiterOptions;
}

declare module 'fastify' {
  interface FastifyInstance {
    exportMetrics: ExportMetrics;
  }
}

/**
 * The export API as one encapsulated plugin, so another Fastify app can register it too.
 * Bad options fail here, at registration, with the library's coded error.
 */
export const exportPlugin: FastifyPluginAsyncTypebox<ExportPluginOptions> = async (
  app,
  options,
) => {
  const limits = normalizeLimiterOptions(options.limiter);
  const exportMetrics = createExportMetrics({ registry: options.registry, limits });
  app.decorate('exportMetrics', exportMetrics);
  await app.register(metricsRoutes, { registry: options.registry });
  app.log.info(
    { formats: exportFormats, maxConcurrent: limits.maxConcurrent, maxQueue: limits.maxQueue },
    'export plugin registered',
  );
};
