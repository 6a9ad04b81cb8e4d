import { inject } from 'vitest';

/** The S3 server the S3 projects run the job API tests against. */
export interface S3TestStore {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by the cluster API project (test/cluster/cluster-api-setup.ts): its Redis. */
    clusterRedisUrl: string | undefined;
    /** Set by the S3 projects (test/artifacts/s3-api-setup.ts): jobs' files go to its bucket. */
    s3TestStore: S3TestStore | undefined;
  }
}

/**
 * The Redis the job API tests run on when vitest.config.ts's cluster project runs them, so the
 * same tests check both job backends; undefined under the default project (embedded backend).
 */
export const clusterRedisUrl: string | undefined = inject('clusterRedisUrl');
export const clusterBackend = clusterRedisUrl !== undefined;

/** The bucket jobs' files go to under the S3 projects; undefined otherwise (EXPORT_DIR). */
export const s3TestStore: S3TestStore | undefined = inject('s3TestStore');

if (s3TestStore) {
  // The SDK's default chain, as in production: the executor is never given keys itself.
  process.env.AWS_ACCESS_KEY_ID = s3TestStore.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = s3TestStore.secretAccessKey;
}

/** What a finished job's folder holds besides its file: the embedded backend's record file. */
export const jobRecordFiles: string[] = clusterBackend ? [] : ['job.json'];
