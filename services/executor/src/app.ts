import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { ExecutorConfig } from './config.js';
import { exportPlugin } from './plugins/export-plugin.js';
import { healthRoutes } from './routes/health.js';

export interface BuildOptions {
  config: ExecutorConfig;
  /** Defaults to pino at `config.LOG_LEVEL`; tests pass `false`. */
  logger?: FastifyServerOptions['logger'];
  /** Defaults to a new registry with prom-client's default process metrics. */
  registry?: Registry;
}

/** Builds the app without listening, so tests can `inject` and servers can `listen`. */
export async function build(options: BuildOptions) {
  const { config } = options;
  const app = Fastify({
    logger: options.logger ?? { level: config.LOG_LEVEL },
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(healthRoutes);
  await app.register(exportPlugin, { registry: options.registry ?? createRegistry() });
  return app;
}

function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

export type ExecutorApp = Awaited<ReturnType<typeof build>>;
export { type ExecutorConfig, loadConfig } from './config.js';
export { type ExportPluginOptions, exportPlugin } from './plugins/export-plugin.js';
