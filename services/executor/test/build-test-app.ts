import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Registry } from 'prom-client';
import { afterEach } from 'vitest';
import { build, type ExecutorApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { clusterRedisUrl, s3TestStore } from './test-backend.js';

const openApps: ExecutorApp[] = [];

/**
 * Under the cluster project (vitest.config.ts), the same API tests run against the cluster
 * backend: each app is a one-replica cluster on its own queue, with cluster caps equal to the
 * local ones, so every count the tests expect holds there too.
 */
function clusterEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (!clusterRedisUrl) return {};
  return {
    REDIS_URL: clusterRedisUrl,
    EXPORT_QUEUE_NAME: `api-${randomUUID()}`,
    EXPORT_CLUSTER_MAX_CONCURRENT: env.EXPORT_MAX_CONCURRENT ?? '5',
    EXPORT_CLUSTER_MAX_QUEUE: env.EXPORT_MAX_QUEUE ?? '100',
  };
}

/**
 * Under the S3 projects, jobs' files go to the test bucket, under a prefix named after the
 * app's export folder (see s3PrefixOf), so tests can look at what each app left there.
 */
function storeEnvironment(exportDirectory: string): NodeJS.ProcessEnv {
  if (!s3TestStore) return {};
  return {
    EXPORT_STORE: 's3',
    EXPORT_S3_BUCKET: s3TestStore.bucket,
    EXPORT_S3_PREFIX: s3PrefixOf(exportDirectory),
    EXPORT_S3_REGION: s3TestStore.region,
    EXPORT_S3_ENDPOINT: s3TestStore.endpoint,
    EXPORT_S3_FORCE_PATH_STYLE: 'true',
  };
}

/** The key prefix of an app's objects under the S3 projects. */
export function s3PrefixOf(exportDirectory: string): string {
  return `${basename(exportDirectory)}/`;
}
const folders: string[] = [];

afterEach(async () => {
  await Promise.all(openApps.splice(0).map((app) => app.close()));
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

export interface TestApp {
  app: ExecutorApp;
  exportDirectory: string;
}

/** A silent app on its own registry and export folder, closed after each test. */
export async function buildTestApp(env: NodeJS.ProcessEnv = {}): Promise<ExecutorApp> {
  return (await buildTestAppWithFolder(env)).app;
}

export async function buildTestAppWithFolder(env: NodeJS.ProcessEnv = {}): Promise<TestApp> {
  const exportDirectory = mkdtempSync(join(tmpdir(), 'executor-test-'));
  folders.push(exportDirectory);
  return buildTestAppInFolder(exportDirectory, env);
}

/**
 * An app on a folder an earlier app used, as a restarted process would find it. The folder is
 * removed after the test only if it came from `buildTestAppWithFolder`.
 */
export async function buildTestAppInFolder(
  exportDirectory: string,
  env: NodeJS.ProcessEnv = {},
): Promise<TestApp> {
  const app = await build({
    config: loadConfig({
      EXPORT_DIR: exportDirectory,
      ...clusterEnvironment(env),
      ...storeEnvironment(exportDirectory),
      ...env,
    }),
    logger: false,
    registry: new Registry(),
  });
  openApps.push(app);
  // Recovery runs after boot; tests of what came back need it done (recovery tests wait themselves).
  await app.lifecycle.started();
  return { app, exportDirectory };
}
