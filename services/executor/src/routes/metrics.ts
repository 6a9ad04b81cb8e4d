import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Registry } from 'prom-client';
import Type from 'typebox';

export interface MetricsRoutesOptions {
  registry: Registry;
}

const metricsRouteSchema = {
  summary: 'Prometheus exposition of the service registry',
  produces: ['text/plain'],
  response: { 200: Type.String() },
};

export const metricsRoutes: FastifyPluginAsyncTypebox<MetricsRoutesOptions> = async (
  app,
  { registry },
) => {
  const scrape = async () => registry.metrics();
  for (const url of ['/metrics', '/export/metrics']) {
    app.get(
      url,
      { schema: metricsRouteSchema, config: { public: true } },
      async (_request, reply) => {
        reply.type(registry.contentType);
        return scrape();
      },
    );
  }
};
