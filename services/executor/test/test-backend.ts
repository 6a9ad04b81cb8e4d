import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by the cluster API project (test/cluster/cluster-api-setup.ts): its Redis. */
    clusterRedisUrl: string | undefined;
  }
}

/**
 * The Redis the job API tests run on when vitest.config.ts's cluster project runs them, so the
 * same tests check both job backends; undefined under the default project (embedded backend).
 */
export const clusterRedisUrl: string | undefined = inject('clusterRedisUrl');
export const clusterBackend = clusterRedisUrl !== undefined;

/** What a finished job's folder holds besides its file: the embedded backend's record file. */
export const jobRecordFiles: string[] = clusterBackend ? [] : ['job.json'];
