import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import {
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ArtifactStore } from '../../src/artifacts/artifact-store.js';
import { createS3ArtifactStore } from '../../src/artifacts/s3-artifact-store.js';
import { digestOf, generatedBytes, mebibyte } from './generated-bytes.js';
import { peakRetainedGrowth } from './measure-memory.js';
import { type S3TestServer, startS3TestServer } from './s3-test-server.js';

let server: S3TestServer;
let store: ArtifactStore;
let client: S3Client;

beforeAll(async () => {
  server = await startS3TestServer();
  store = createS3ArtifactStore(server.storeOptions({ prefix: 'exports/' }));
  client = server.client();
});
afterAll(async () => {
  await store?.close();
  await server?.close();
});

async function writeWithoutEnding(writable: Writable, total: number): Promise<void> {
  for (let written = 0; written < total; written += 64 * 1024) {
    if (!writable.write(randomBytes(64 * 1024))) await once(writable, 'drain');
  }
}

async function uploadsUnder(prefix: string): Promise<string[]> {
  const listed = await client.send(
    new ListMultipartUploadsCommand({ Bucket: server.bucket, Prefix: prefix }),
  );
  return (listed.Uploads ?? []).map((upload) => upload.Key ?? '');
}

async function objectsUnder(prefix: string): Promise<string[]> {
  const listed = await client.send(
    new ListObjectsV2Command({ Bucket: server.bucket, Prefix: prefix }),
  );
  return (listed.Contents ?? []).map((object) => object.Key ?? '');
}

describe('begin()', () => {
  it('streams 64 MiB into a multipart upload, with memory well under the size, and the object reads back whole', async () => {
    // A first, smaller upload warms the code paths and grows the heap to its working size, so
    // that what is measured next is what an upload holds.
    const warmUp = store.begin('jobs/warm-up/export.csv');
    await pipeline(generatedBytes(16 * mebibyte).readable, warmUp.writable);
    await warmUp.complete();

    const total = 64 * mebibyte;
    const source = generatedBytes(total);
    const upload = store.begin('jobs/big/export.csv', { contentType: 'text/csv' });
    const growth = await peakRetainedGrowth(async () => {
      await pipeline(source.readable, upload.writable);
      await expect(upload.complete()).resolves.toEqual({ bytes: total });
    });
    const inMiB = (bytes: number) => (bytes / mebibyte).toFixed(1);
    // s3rver runs in this process too: its share is in the numbers.
    console.info(
      `64 MiB upload: RSS grew ${inMiB(growth.rss)} MiB, buffers ${inMiB(growth.arrayBuffers)} MiB`,
    );
    expect(growth.rss).toBeLessThan(48 * mebibyte);
    // Holding the object whole would take 64 MiB of buffers at once.
    expect(growth.arrayBuffers).toBeLessThan(48 * mebibyte);

    const head = await store.head('jobs/big/export.csv');
    expect(head?.size).toBe(total);
    expect(head?.lastModified).toBeInstanceOf(Date);
    const read = await digestOf(await store.read('jobs/big/export.csv'));
    expect(read).toEqual({ sha256: source.sha256(), bytes: total });
  }, 60_000);

  it('shows nothing under the key until complete(), while the upload is listed in progress', async () => {
    const key = 'jobs/pending/export.csv';
    const upload = store.begin(key);
    await writeWithoutEnding(upload.writable, 12 * mebibyte);
    await vi.waitFor(async () =>
      expect(await uploadsUnder('exports/jobs/pending/')).toEqual([`exports/${key}`]),
    );
    upload.writable.end();
    await finished(upload.writable);

    expect(await store.head(key)).toBeUndefined();
    expect(await objectsUnder('exports/jobs/pending/')).toEqual([]);
    await expect(store.read(key)).rejects.toMatchObject({ code: 'EXECUTOR_STORE_OBJECT_MISSING' });

    await expect(upload.complete()).resolves.toEqual({ bytes: 12 * mebibyte });
    expect(await store.head(key)).toMatchObject({ size: 12 * mebibyte });
    expect(await uploadsUnder('exports/jobs/pending/')).toEqual([]);
  });

  it('completes an object of exactly two parts', async () => {
    const upload = store.begin('jobs/exact/export.csv');
    const source = generatedBytes(10 * mebibyte);
    await pipeline(source.readable, upload.writable);
    await expect(upload.complete()).resolves.toEqual({ bytes: 10 * mebibyte });
    const read = await digestOf(await store.read('jobs/exact/export.csv'));
    expect(read).toEqual({ sha256: source.sha256(), bytes: 10 * mebibyte });
  });

  it('sends an object smaller than a part whole, and only when complete() is called', async () => {
    const key = 'jobs/small/manifest.json';
    const upload = store.begin(key);
    upload.writable.end(Buffer.from('{"rows":3}'));
    await finished(upload.writable);
    expect(await store.head(key)).toBeUndefined();
    expect(await uploadsUnder('exports/jobs/small/')).toEqual([]);

    await expect(upload.complete()).resolves.toEqual({ bytes: 10 });
    const read = await store.read(key);
    expect((await read.toArray()).join('')).toBe('{"rows":3}');
  });

  it('writes an empty object', async () => {
    const upload = store.begin('jobs/empty/export.csv');
    upload.writable.end();
    await expect(upload.complete()).resolves.toEqual({ bytes: 0 });
    expect(await store.head('jobs/empty/export.csv')).toMatchObject({ size: 0 });
  });

  it('holds the writer back while S3 takes no part: it gets about (queueSize + 1) parts ahead', async () => {
    const held = server.holdPartUploads();
    const upload = store.begin('jobs/backpressure/export.csv');
    let accepted = 0;
    let stop = false;
    const writer = (async () => {
      while (!stop) {
        accepted += 64 * 1024;
        if (!upload.writable.write(randomBytes(64 * 1024))) await once(upload.writable, 'drain');
      }
      upload.writable.end();
    })();
    let seen = -1;
    await vi.waitFor(
      () => {
        const settled = accepted === seen;
        seen = accepted;
        expect(settled).toBe(true);
      },
      { interval: 300, timeout: 10_000 },
    );
    // Two parts in flight, a third cut and waiting, the writable's own buffer.
    expect(accepted).toBeGreaterThanOrEqual(15 * mebibyte);
    expect(accepted).toBeLessThanOrEqual(16 * mebibyte);

    stop = true;
    held.release();
    await writer;
    await expect(upload.complete()).resolves.toEqual({ bytes: accepted });
  });
});

describe('abort()', () => {
  it('mid-upload leaves no object and no multipart upload or part', async () => {
    const key = 'jobs/aborted/export.csv';
    const upload = store.begin(key);
    await writeWithoutEnding(upload.writable, 12 * mebibyte);
    await vi.waitFor(async () =>
      expect(await uploadsUnder('exports/jobs/aborted/')).toHaveLength(1),
    );

    await upload.abort();

    expect(upload.writable.destroyed).toBe(true);
    expect(await store.head(key)).toBeUndefined();
    expect(await uploadsUnder('exports/jobs/aborted/')).toEqual([]);
    expect(await server.pendingUploads()).toEqual([]);
    await expect(upload.abort()).resolves.toBeUndefined();
  });

  it('after the writable was destroyed with an error (a failed render) leaves nothing either', async () => {
    const key = 'jobs/failed/export.csv';
    const upload = store.begin(key);
    await writeWithoutEnding(upload.writable, 12 * mebibyte);
    await vi.waitFor(async () =>
      expect(await uploadsUnder('exports/jobs/failed/')).toHaveLength(1),
    );
    upload.writable.destroy(new Error('the render failed'));

    await upload.abort();

    expect(await store.head(key)).toBeUndefined();
    expect(await uploadsUnder('exports/jobs/failed/')).toEqual([]);
    expect(await server.pendingUploads()).toEqual([]);
  });

  it('complete() after a failed writable rejects with its error, having aborted', async () => {
    const key = 'jobs/failed-complete/export.csv';
    const upload = store.begin(key);
    await writeWithoutEnding(upload.writable, 6 * mebibyte);
    await vi.waitFor(async () =>
      expect(await uploadsUnder('exports/jobs/failed-complete/')).toHaveLength(1),
    );
    upload.writable.destroy(new Error('the render failed'));

    await expect(upload.complete()).rejects.toThrow('the render failed');
    expect(await uploadsUnder('exports/jobs/failed-complete/')).toEqual([]);
    expect(await store.head(key)).toBeUndefined();
  });

  it('once complete() has succeeded, keeps the object (remove() deletes it)', async () => {
    const upload = store.begin('jobs/kept/export.csv');
    upload.writable.end(Buffer.from('a,b\n'));
    await upload.complete();
    await upload.abort();
    expect(await store.head('jobs/kept/export.csv')).toMatchObject({ size: 4 });
  });
});
