import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DeleteObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestAppInFolder, buildTestAppWithFolder } from '../build-test-app.js';
import {
  finishedJob,
  sampleRows,
  sha256Of,
  submitJob,
  tradesCsv,
  waitForJobStatus,
  waitUntil,
} from '../job-helpers.js';
import { type S3TestServer, startS3TestServer } from './s3-test-server.js';

let s3: S3TestServer;

beforeAll(async () => {
  s3 = await startS3TestServer('executor-store');
  // The SDK's default chain, as in production.
  process.env.AWS_ACCESS_KEY_ID = s3.credentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = s3.credentials.secretAccessKey;
});

afterAll(async () => {
  await s3.close();
});

let prefixes = 0;

function s3Environment(overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  prefixes += 1;
  return {
    EXPORT_STORE: 's3',
    EXPORT_S3_BUCKET: s3.bucket,
    EXPORT_S3_PREFIX: `executor-${prefixes}/`,
    EXPORT_S3_REGION: s3.region,
    EXPORT_S3_ENDPOINT: s3.endpoint,
    EXPORT_S3_FORCE_PATH_STYLE: 'true',
    ...overrides,
  };
}

async function objectSize(key: string): Promise<number | undefined> {
  try {
    const head = await s3.client().send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }));
    return head.ContentLength;
  } catch {
    return undefined;
  }
}

describe('EXPORT_STORE=s3', () => {
  it("keeps a done job's file in the bucket, not in EXPORT_DIR, and serves it from there", async () => {
    const environment = s3Environment();
    const { app, exportDirectory } = await buildTestAppWithFolder(environment);
    const job = await finishedJob(app);
    const key = `${environment.EXPORT_S3_PREFIX}jobs/${job.id}/export.csv`;
    expect(await objectSize(key)).toBe(job.bytes);
    // The record and manifest stay beside the embedded queue; the file and input do not.
    expect((await readdir(join(exportDirectory, 'jobs', job.id))).sort()).toEqual([
      'job.json',
      'manifest.json',
    ]);
    const download = await app.inject({ method: 'GET', url: job.links.download });
    expect(download.statusCode).toBe(200);
    expect(download.body).toBe(tradesCsv);
    expect(download.headers.etag).toBe(`"${job.sha256}"`);
    const ranged = await app.inject({
      method: 'GET',
      url: job.links.download,
      headers: { range: 'bytes=0-1' },
    });
    expect(ranged).toMatchObject({ statusCode: 206, body: 'id' });
  });

  it('redirects downloads to a presigned GetObject URL with EXPORT_S3_PRESIGNED_DOWNLOADS', async () => {
    const app = (
      await buildTestAppWithFolder(s3Environment({ EXPORT_S3_PRESIGNED_DOWNLOADS: 'true' }))
    ).app;
    const job = await finishedJob(app);
    const answer = await app.inject({ method: 'GET', url: job.links.download });
    expect(answer.statusCode).toBe(307);
    expect(answer.headers['cache-control']).toBe('no-store');
    const location = String(answer.headers.location);
    expect(location).toMatch(/X-Amz-Signature=/);
    const fetched = await fetch(location);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-disposition')).toContain(`export-${job.id}.csv`);
    expect(sha256Of(Buffer.from(await fetched.arrayBuffer()))).toBe(job.sha256);
  });

  it("deletes a job's objects with the job", async () => {
    const environment = s3Environment();
    const { app } = await buildTestAppWithFolder(environment);
    const job = await finishedJob(app);
    const key = `${environment.EXPORT_S3_PREFIX}jobs/${job.id}/export.csv`;
    expect(await objectSize(key)).toBe(job.bytes);
    expect((await app.inject({ method: 'DELETE', url: `/export/jobs/${job.id}` })).statusCode).toBe(
      200,
    );
    expect(await objectSize(key)).toBeUndefined();
  });

  it('keeps a done job across a restart, and fails one whose object was deleted behind its back', async () => {
    const environment = s3Environment();
    const { app, exportDirectory } = await buildTestAppWithFolder(environment);
    const kept = await finishedJob(app);
    const lost = await finishedJob(app);
    await app.close();
    await s3.client().send(
      new DeleteObjectCommand({
        Bucket: s3.bucket,
        Key: `${environment.EXPORT_S3_PREFIX}jobs/${lost.id}/export.csv`,
      }),
    );
    const restarted = (await buildTestAppInFolder(exportDirectory, environment)).app;
    const download = await restarted.inject({ method: 'GET', url: kept.links.download });
    expect(download).toMatchObject({ statusCode: 200, body: tradesCsv });
    const failed = await waitForJobStatus(restarted, lost.id, ['failed']);
    expect(failed.error).toMatchObject({ code: 'EXECUTOR_ARTIFACT_LOST' });
  });

  it('answers 503 EXECUTOR_STORE_UNAVAILABLE with Retry-After while the S3 server is down', async () => {
    const app = (await buildTestAppWithFolder(s3Environment())).app;
    const job = await finishedJob(app);
    await s3.stop();
    try {
      const answer = await app.inject({ method: 'GET', url: job.links.download });
      expect(answer.statusCode).toBe(503);
      expect(answer.json()).toMatchObject({ code: 'EXECUTOR_STORE_UNAVAILABLE' });
      expect(answer.headers['retry-after']).toBe('5');
    } finally {
      await s3.restart();
    }
    const again = await app.inject({ method: 'GET', url: job.links.download });
    expect(again).toMatchObject({ statusCode: 200, body: tradesCsv });
  });

  it('fails a job whose upload the S3 server cut off, and leaves no upload once it is back', async () => {
    // A sweep every second (a quarter of the retention), for the upload the abort could not reach.
    const app = (await buildTestAppWithFolder(s3Environment({ EXPORT_RETENTION_HOURS: '0.001' })))
      .app;
    // About 9 MB of CSV: more than one 5 MiB part, so a multipart upload.
    const job = await submitJob(app, { format: 'csv', data: sampleRows(400_000) });
    const held = s3.holdPartUploads();
    await waitUntil(
      'a multipart upload is begun',
      async () => (await s3.pendingUploads()).some((upload) => upload.key.includes(job.id)),
      20_000,
    );
    // S3 goes away in the middle of the upload, its part request cut.
    await s3.stop();
    held.release();
    let failed: Awaited<ReturnType<typeof waitForJobStatus>>;
    try {
      failed = await waitForJobStatus(app, job.id, ['failed'], { timeoutMs: 30_000 });
    } finally {
      await s3.restart();
    }
    expect(failed.error).toMatchObject({
      code: 'EXECUTOR_STORE_UNAVAILABLE',
      message: expect.stringContaining('unreachable'),
    });
    // The abort could not reach S3 while it was down: the sweep aborts the upload once it is
    // older than twice EXPORT_JOB_TIMEOUT_S.
    expect((await s3.pendingUploads()).some((upload) => upload.key.includes(job.id))).toBe(true);
    await s3.backdateUploads(3_600_000);
    await waitUntil(
      'the dead upload aborted by the sweep',
      async () => !(await s3.pendingUploads()).some((upload) => upload.key.includes(job.id)),
      20_000,
    );
  }, 60_000);
});

describe('EXPORT_STORE=s3 at boot', () => {
  it('stops the boot naming EXPORT_S3_BUCKET when the bucket does not exist', async () => {
    await expect(
      buildTestAppWithFolder(s3Environment({ EXPORT_S3_BUCKET: 'no-such-bucket' })),
    ).rejects.toMatchObject({
      code: 'EXECUTOR_STORE_MISCONFIGURED',
      message: expect.stringContaining('EXPORT_S3_BUCKET=no-such-bucket'),
    });
  });

  it('stops the boot naming EXPORT_S3_ENDPOINT, within seconds, when nothing answers there', async () => {
    const started = Date.now();
    await expect(
      buildTestAppWithFolder(s3Environment({ EXPORT_S3_ENDPOINT: 'http://127.0.0.1:1' })),
    ).rejects.toMatchObject({
      code: 'EXECUTOR_STORE_MISCONFIGURED',
      message: expect.stringContaining('EXPORT_S3_ENDPOINT=http://127.0.0.1:1'),
    });
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('stops the boot naming the credentials when S3 refuses them', async () => {
    const { AWS_SECRET_ACCESS_KEY: secret } = process.env;
    process.env.AWS_SECRET_ACCESS_KEY = 'not-the-secret';
    try {
      const boot = buildTestAppWithFolder(s3Environment());
      await expect(boot).rejects.toMatchObject({ code: 'EXECUTOR_STORE_MISCONFIGURED' });
      await expect(boot).rejects.toThrow(/AWS_ACCESS_KEY_ID/);
      await expect(boot).rejects.not.toThrow(/not-the-secret/);
    } finally {
      process.env.AWS_SECRET_ACCESS_KEY = secret;
    }
  });
});
