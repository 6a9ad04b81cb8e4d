import { Registry } from 'prom-client';
import { afterEach } from 'vitest';
import { build, type ExecutorApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

const openApps: ExecutorApp[] = [];

afterEach(async () => {
  await Promise.all(openApps.splice(0).map((app) => app.close()));
});

/** A silent app on its own registry, closed after each test. */
export async function buildTestApp(env: NodeJS.ProcessEnv = {}): Promise<ExecutorApp> {
  const app = await build({ config: loadConfig(env), logger: false, registry: new Registry() });
  openApps.push(app);
  return app;
}
