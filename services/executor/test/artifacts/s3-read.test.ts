import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArtifactStore } from '../../src/artifacts/artifact-store.js';
import { createS3ArtifactStore } from '../../src/artifacts/s3-artifact-store.js';
import { mebibyte, patternedBytes } from './generated-bytes.js';
import { type S3TestServer, startS3TestServer } from './s3-test-server.js';

let server: S3TestServer;
let store: ArtifactStore;
const size = 6 * mebibyte + 123;

beforeAll(async () => {
  server = await startS3TestServer();
  store = createS3ArtifactStore(server.storeOptions({ prefix: 'reads/' }));
  // Two parts: a range may cross from one to the other.
  const upload = store.begin('jobs/r/export.csv');
  upload.writable.end(patternedBytes(size));
  await upload.complete();
});
afterAll(async () => {
  await store?.close();
  await server?.close();
});

async function bytesOf(read: Promise<import('node:stream').Readable>): Promise<Buffer> {
  return Buffer.concat((await (await read).toArray()) as Buffer[]);
}

describe('read()', () => {
  it('returns the whole object without a range', async () => {
    const bytes = await bytesOf(store.read('jobs/r/export.csv'));
    expect(bytes.equals(patternedBytes(size))).toBe(true);
  });

  it.each([
    { start: 0, end: 0 },
    { start: 10, end: 1000 },
    { start: 5 * mebibyte - 10, end: 5 * mebibyte + 10 },
    { start: size - 1, end: size - 1 },
  ])('returns exactly bytes $start to $end (inclusive)', async (range) => {
    const bytes = await bytesOf(store.read('jobs/r/export.csv', range));
    expect(bytes.equals(patternedBytes(range.end - range.start + 1, range.start))).toBe(true);
  });

  it('rejects with EXECUTOR_STORE_OBJECT_MISSING for a key with no object', async () => {
    const error = await store.read('jobs/none/export.csv').catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'EXECUTOR_STORE_OBJECT_MISSING',
      statusCode: 404,
      message: 'the stored object jobs/none/export.csv is missing',
    });
  });
});

describe('head()', () => {
  it('gives the size and the time it was written', async () => {
    const head = await store.head('jobs/r/export.csv');
    expect(head?.size).toBe(size);
    expect(Math.abs((head?.lastModified.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
  });

  it('is undefined for a key with no object', async () => {
    expect(await store.head('jobs/none/export.csv')).toBeUndefined();
  });
});

describe('put() and remove()', () => {
  it('put() writes a small object whole, visible once it resolves', async () => {
    await store.put('jobs/p/manifest.json', '{"rows":1}', { contentType: 'application/json' });
    expect(await store.head('jobs/p/manifest.json')).toMatchObject({ size: 10 });
    expect((await bytesOf(store.read('jobs/p/manifest.json'))).toString()).toBe('{"rows":1}');
  });

  it('remove() deletes the object, and a missing one is no error', async () => {
    await store.put('jobs/d/manifest.json', new Uint8Array([1, 2, 3]));
    await store.remove('jobs/d/manifest.json');
    expect(await store.head('jobs/d/manifest.json')).toBeUndefined();
    await expect(store.remove('jobs/d/manifest.json')).resolves.toBeUndefined();
  });
});
