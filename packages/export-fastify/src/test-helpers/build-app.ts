import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach } from 'vitest';
import { type FastifyExportOptions, fastifyExport } from '../index.js';

const openApps: FastifyInstance[] = [];

afterEach(async () => {
  for (const app of openApps.splice(0)) {
    // A real server's keep-alive and cut connections would hold `close` open.
    app.server.closeAllConnections();
    await app.close();
  }
});

/**
 * A silent app with the plugin registered and the routes `routes` adds, closed after the test.
 * Not listening: tests `inject`, or `listen` themselves for a real connection.
 */
export async function buildApp(
  routes: (app: FastifyInstance) => void,
  options: FastifyExportOptions = {},
): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  openApps.push(app);
  await app.register(fastifyExport, options);
  routes(app);
  await app.ready();
  return app;
}
