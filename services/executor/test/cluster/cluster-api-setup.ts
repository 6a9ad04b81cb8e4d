import { startRedisServer } from '@org/test-redis';
import type { TestProject } from 'vitest/node';

/** One Redis for the cluster API project's run; each app takes its own queue name on it. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redis = await startRedisServer();
  project.provide('clusterRedisUrl', redis.url);
  return () => redis.stop();
}
