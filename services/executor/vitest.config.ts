import { configDefaults, defineConfig } from 'vitest/config';

// The job API tests that hold for any job backend and store: run again against the cluster
// backend, and against a cluster on an S3 bucket with no shared folder. (The embedded backend on
// S3 is test/artifacts/s3-store-executor.test.ts's: a third run of these would add minutes.)
const jobApiTests = [
  'test/export-jobs.test.ts',
  'test/export-jobs-list.test.ts',
  'test/export-jobs-auth.test.ts',
  'test/export-jobs-submit.test.ts',
  'test/export-job-download.test.ts',
  'test/export-download-links.test.ts',
  'test/webhooks/export-jobs-webhooks.test.ts',
];

// The reliability suite is its own run (`pnpm test:reliability`): it loads the machine on purpose.
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'executor',
          exclude: [...configDefaults.exclude, 'test/reliability/**'],
          provide: { clusterRedisUrl: undefined },
        },
      },
      {
        extends: true,
        test: {
          name: 'executor-on-cluster-s3',
          include: jobApiTests,
          globalSetup: ['test/cluster/cluster-api-setup.ts', 'test/artifacts/s3-api-setup.ts'],
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'executor-on-cluster',
          include: jobApiTests,
          globalSetup: ['test/cluster/cluster-api-setup.ts'],
          // Every job step is a Redis round trip or a BullMQ hand-off: slower on a loaded machine.
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
