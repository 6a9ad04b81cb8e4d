import { fastifyExport, httpStatusOfExportError } from '@org/export-fastify';
import { createLimiter } from '@org/export-limiter';
import { createExportMetrics } from '@org/export-metrics';
import Fastify from 'fastify';
import { Registry } from 'prom-client';

export async function buildLimitedApp() {
  const registry = new Registry();
  const limiter = createLimiter({ maxConcurrent: 4, maxQueue: 20, maxPerKey: 2 });
  const app = Fastify();
  app.addHook('onClose', () => limiter.close({ timeoutMs: 10_000 }));
  await app.register(fastifyExport, {
    limiter,
    // Each user runs at most 2 exports at once (maxPerKey).
    limiterKey: (request) => request.headers['x-user-id'] as string | undefined,
    metrics: createExportMetrics({ registry, limits: limiter.stats() }),
  });

  // The same statuses as the plugin's own answers, in an error handler of yours.
  app.setErrorHandler((error, request, reply) => {
    const statusCode = httpStatusOfExportError(error);
    request.log.info({ err: error, statusCode }, 'export refused');
    const { code, message } = error as { code?: string; message?: string };
    return reply.code(statusCode).send({ statusCode, code, message });
  });

  app.get('/ledger.csv', async (_request, reply) =>
    reply.export({ format: 'csv', filename: 'ledger.csv', source: [{ account: 'cash', eur: 10 }] }),
  );
  app.get('/metrics', async (_request, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  );
  return app;
}
