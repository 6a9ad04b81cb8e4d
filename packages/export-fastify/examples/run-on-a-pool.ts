import { createExportPool } from '@org/export-core';
import { fastifyExport, ndjsonUploadOf } from '@org/export-fastify';
import Fastify from 'fastify';

export async function buildPoolApp() {
  // One pool per process: every upload is parsed and formatted on a worker thread.
  const pool = createExportPool({ size: 2 });
  const app = Fastify();
  app.addHook('onClose', () => pool.close());
  await app.register(fastifyExport);

  app.post('/convert.csv', async (request, reply) =>
    reply.export({
      format: 'csv',
      filename: 'converted.csv',
      // The plugin gives the destination (the response) and the client's signal.
      run: ({ destination, signal }) =>
        pool.run({
          source: { ndjson: ndjsonUploadOf(request) },
          format: 'csv',
          destination,
          signal,
          maxRows: 1_000_000,
        }),
    }),
  );
  return app;
}
