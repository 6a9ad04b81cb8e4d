import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3ArtifactStore } from '../../src/artifacts/s3-artifact-store.js';
import type { S3StoreOptions } from '../../src/artifacts/s3-store-options.js';
import { closedPort } from './closed-port.js';
import { type S3TestServer, startS3TestServer } from './s3-test-server.js';

let server: S3TestServer;

beforeAll(async () => {
  server = await startS3TestServer();
});
afterAll(async () => {
  await server?.close();
});

async function checkWith(options: S3StoreOptions): Promise<unknown> {
  const store = createS3ArtifactStore(options);
  try {
    await store.check();
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await store.close();
  }
}

describe('check()', () => {
  it('passes against a bucket that takes a write, and leaves no probe behind', async () => {
    expect(await checkWith(server.storeOptions({ prefix: 'checked/' }))).toBeUndefined();
    const listed = await server
      .client()
      .send(new ListObjectsV2Command({ Bucket: server.bucket, Prefix: 'checked/' }));
    expect(listed.KeyCount).toBe(0);
  });

  it('names EXPORT_S3_BUCKET when there is no such bucket', async () => {
    const error = await checkWith(server.storeOptions({ bucket: 'no-such-bucket' }));
    expect(error).toMatchObject({
      code: 'EXECUTOR_STORE_MISCONFIGURED',
      message: 'EXPORT_S3_BUCKET=no-such-bucket: no such bucket',
    });
  });

  it('names EXPORT_S3_ENDPOINT when nothing answers there, within a few seconds', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const started = performance.now();
    const error = await checkWith(server.storeOptions({ endpoint }));
    const elapsed = performance.now() - started;
    console.info(`check() against a closed port failed in ${Math.round(elapsed)} ms`);
    expect(error).toMatchObject({
      code: 'EXECUTOR_STORE_MISCONFIGURED',
      message: `EXPORT_S3_ENDPOINT=${endpoint}: unreachable (ECONNREFUSED)`,
    });
    expect(elapsed).toBeLessThan(5000);
  });

  it('names EXPORT_S3_ENDPOINT when the server there accepts connections and never answers', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const started = performance.now();
      const error = await checkWith(server.storeOptions({ endpoint, checkTimeoutMs: 1000 }));
      expect(performance.now() - started).toBeLessThan(3000);
      expect(error).toMatchObject({
        code: 'EXECUTOR_STORE_MISCONFIGURED',
        message: `EXPORT_S3_ENDPOINT=${endpoint}: unreachable (no answer within 1000 ms)`,
      });
    } finally {
      silent.close();
    }
  });

  it('names the credentials when the secret is wrong, and when the key is unknown', async () => {
    for (const credentials of [
      { accessKeyId: 'S3RVER', secretAccessKey: 'not-the-secret' },
      { accessKeyId: 'NO-SUCH-KEY', secretAccessKey: 'S3RVER' },
    ]) {
      const error = await checkWith(server.storeOptions({ credentials }));
      expect(error).toMatchObject({ code: 'EXECUTOR_STORE_MISCONFIGURED' });
      expect((error as Error).message).toMatch(
        /^credentials \(AWS_ACCESS_KEY_ID, .*\): access denied to EXPORT_S3_BUCKET=artifacts/,
      );
      // Never the secret itself.
      expect((error as Error).message).not.toContain(credentials.secretAccessKey);
    }
  });
});
