import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ArtifactStore } from '../../src/artifacts/artifact-store.js';
import { createS3ArtifactStore } from '../../src/artifacts/s3-artifact-store.js';
import { type S3TestServer, startS3TestServer } from './s3-test-server.js';

let server: S3TestServer;
let store: ArtifactStore;

beforeAll(async () => {
  server = await startS3TestServer();
  store = createS3ArtifactStore(server.storeOptions({ prefix: 'outage/' }));
});
afterAll(async () => {
  await store?.close();
  await server?.close();
});

/** Bytes for as long as they are read: an export that is still rendering. */
function endlessBytes(): Readable {
  return new Readable({
    read() {
      this.push(randomBytes(64 * 1024));
    },
  });
}

describe('an S3 that stops mid-upload', () => {
  it('fails the writable and complete() with EXECUTOR_STORE_UNAVAILABLE in bounded time; once back, removeUnfinished cleans up', async () => {
    const upload = store.begin('jobs/o/export.csv');
    const writing = pipeline(endlessBytes(), upload.writable);
    writing.catch(() => {});
    await vi.waitFor(async () => expect(await server.pendingUploads()).toHaveLength(1));

    await server.stop();
    const stopped = performance.now();
    await expect(writing).rejects.toMatchObject({
      code: 'EXECUTOR_STORE_UNAVAILABLE',
      statusCode: 503,
    });
    await expect(upload.complete()).rejects.toMatchObject({ code: 'EXECUTOR_STORE_UNAVAILABLE' });
    await expect(upload.abort()).rejects.toMatchObject({ code: 'EXECUTOR_STORE_UNAVAILABLE' });
    const elapsed = performance.now() - stopped;
    console.info(`upload failed ${Math.round(elapsed)} ms after S3 stopped`);
    expect(elapsed).toBeLessThan(10_000);

    await server.restart();
    expect(await server.pendingUploads()).toHaveLength(1);
    await expect(store.removeUnfinished('jobs/', { olderThanMs: 0 })).resolves.toBe(1);
    const listed = await server
      .client()
      .send(new ListMultipartUploadsCommand({ Bucket: server.bucket, Prefix: 'outage/' }));
    expect(listed.Uploads ?? []).toEqual([]);
    expect(await store.head('jobs/o/export.csv')).toBeUndefined();
  }, 30_000);

  it('abort() tried again once S3 is back discards the upload it could not before', async () => {
    const upload = store.begin('jobs/retry/export.csv');
    const writing = pipeline(endlessBytes(), upload.writable);
    writing.catch(() => {});
    await vi.waitFor(async () => expect(await server.pendingUploads()).toHaveLength(1));
    await server.stop();
    await expect(upload.abort()).rejects.toMatchObject({ code: 'EXECUTOR_STORE_UNAVAILABLE' });

    await server.restart();
    await expect(upload.abort()).resolves.toBeUndefined();
    expect(await server.pendingUploads()).toEqual([]);
  }, 30_000);

  it('fails a read, a head and a put with EXECUTOR_STORE_UNAVAILABLE while it is down', async () => {
    await store.put('jobs/r/manifest.json', '{}');
    await server.stop();
    try {
      for (const attempt of [
        () => store.read('jobs/r/manifest.json'),
        () => store.head('jobs/r/manifest.json'),
        () => store.put('jobs/r/manifest.json', '{}'),
        () => store.removeAll('jobs/r/'),
      ]) {
        await expect(attempt()).rejects.toMatchObject({ code: 'EXECUTOR_STORE_UNAVAILABLE' });
      }
    } finally {
      await server.restart();
    }
  });
});
