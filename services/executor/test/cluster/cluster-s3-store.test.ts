import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3TestServer, startS3TestServer } from '../artifacts/s3-test-server.js';
import { digestDownload } from '../real-server/digest-download.js';
import { type JobView, submitNdjsonJob, waitUntilJobSettles } from '../real-server/job-client.js';
import type { ExecutorProcess } from '../real-server/spawn-executor.js';
import { waitUntil } from '../real-server/wait-until.js';
import { jobStarts, startReplicas } from './replica-cluster.js';
import { useRedisServer } from './use-redis-server.js';

// Short, so a killed replica's job is handed on within seconds.
const lockSeconds = 3;
const waitMs = 90_000;
const testTimeoutMs = 150_000;

const redis = useRedisServer();
let s3: S3TestServer;

beforeAll(async () => {
  s3 = await startS3TestServer('cluster-store');
});

afterAll(async () => {
  await s3?.close();
});

/** Three replicas on one Redis and one bucket, each with its own EXPORT_DIR. */
async function clusterOnBucket(environment: NodeJS.ProcessEnv = {}) {
  const prefix = `cluster-${randomUUID()}/`;
  const replicas = await startReplicas(
    redis.url,
    {
      EXPORT_CLUSTER_LOCK_S: String(lockSeconds),
      EXPORT_STORE: 's3',
      EXPORT_S3_BUCKET: s3.bucket,
      EXPORT_S3_PREFIX: prefix,
      EXPORT_S3_REGION: s3.region,
      EXPORT_S3_ENDPOINT: s3.endpoint,
      EXPORT_S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
      ...environment,
    },
    3,
    { sharedFolder: false },
  );
  return { replicas, prefix };
}

/** Every file under a replica's EXPORT_DIR/jobs: none, when the bucket keeps the jobs' files. */
function localJobFiles(replica: ExecutorProcess): string[] {
  try {
    return readdirSync(join(replica.exportDirectory, 'jobs'), {
      recursive: true,
      withFileTypes: true,
    })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}

async function bucketKeys(prefix: string): Promise<string[]> {
  const listed = await s3
    .client()
    .send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }));
  return (listed.Contents ?? []).map((object) => (object.Key ?? '').slice(prefix.length)).sort();
}

function runnerOf(replicas: ExecutorProcess[], id: string): ExecutorProcess | undefined {
  return replicas.find((replica) => jobStarts(replica).some((start) => start.jobId === id));
}

async function expectDownloadMatches(url: string, job: JobView): Promise<void> {
  const download = await digestDownload(url, job.links.download);
  expect(download).toMatchObject({ status: 200, bytes: job.bytes, sha256: job.sha256 });
  expect(download.newlines).toBe((job.rows ?? 0) + 1);
}

describe('a cluster of three replicas with no shared folder, on one S3 bucket', () => {
  it(
    'runs a job accepted on one replica on another and serves it from the third',
    async () => {
      // One export at a time per replica: the jobs spread over the three workers.
      const { replicas, prefix } = await clusterOnBucket({ EXPORT_MAX_CONCURRENT: '1' });
      const [a] = replicas as [ExecutorProcess, ExecutorProcess, ExecutorProcess];
      const submitted = await Promise.all(
        Array.from({ length: 6 }, () => submitNdjsonJob(a.url, 'format=csv', 50_000)),
      );
      const done = await Promise.all(
        submitted.map((job) => waitUntilJobSettles(a.url, job.id, { timeoutMs: waitMs })),
      );
      let ranElsewhere = 0;
      for (const job of done) {
        expect(job).toMatchObject({ status: 'done', rows: 50_000, error: null });
        const runner = runnerOf(replicas, job.id);
        expect(runner).toBeDefined();
        if (runner !== a) ranElsewhere += 1;
        // Downloaded from a replica that neither accepted nor ran it.
        const third = replicas.find((replica) => replica !== a && replica !== runner);
        await expectDownloadMatches(third?.url ?? '', job);
        expect(
          (await bucketKeys(prefix)).filter((key) => key.startsWith(`jobs/${job.id}/`)),
        ).toEqual([`jobs/${job.id}/export.csv`, `jobs/${job.id}/manifest.json`]);
      }
      expect(ranElsewhere).toBeGreaterThan(0);
      for (const replica of replicas) expect(localJobFiles(replica)).toEqual([]);
      expect(await s3.pendingUploads()).toEqual([]);
      console.info(
        `no shared folder: ${ranElsewhere} of ${done.length} jobs accepted on A ran on B or C`,
      );
    },
    testTimeoutMs,
  );

  it(
    'kill -9 of the replica uploading a job leaves no orphan upload once another has finished it',
    async () => {
      const { replicas, prefix } = await clusterOnBucket({ EXPORT_CLUSTER_MAX_CONCURRENT: '2' });
      const rows = 400_000;
      const job = await submitNdjsonJob(replicas[0]?.url ?? '', 'format=csv', rows);
      const artifactKey = `${prefix}jobs/${job.id}/export.csv`;
      const runner = await waitUntil(
        `a replica to start job ${job.id}`,
        async () => runnerOf(replicas, job.id),
        { timeoutMs: waitMs, intervalMs: 20 },
      );
      // Killed while it uploads: its multipart upload is begun, not completed.
      await waitUntil(
        `job ${job.id}'s multipart upload to begin`,
        async () =>
          (await s3.pendingUploads()).some((upload) => upload.key === artifactKey)
            ? true
            : undefined,
        { timeoutMs: waitMs, intervalMs: 20 },
      );
      await runner.stop('SIGKILL');
      const survivors = replicas.filter((replica) => replica !== runner);
      const done = await waitUntilJobSettles(survivors[0]?.url ?? '', job.id, {
        timeoutMs: waitMs,
      });

      expect(done).toMatchObject({ status: 'done', rows, error: null });
      const restarts = survivors.flatMap((replica) =>
        jobStarts(replica).filter((start) => start.jobId === job.id),
      );
      expect(restarts.map((start) => start.attempt)).toEqual([2]);
      // The killed run's upload was aborted by the survivor before it began its own.
      expect(await s3.pendingUploads()).toEqual([]);
      expect(await bucketKeys(`${prefix}jobs/${job.id}/`)).toEqual(['export.csv', 'manifest.json']);
      await expectDownloadMatches(survivors[1]?.url ?? '', done);
    },
    testTimeoutMs,
  );
});
