import {
  CreateMultipartUploadCommand,
  ListObjectsV2Command,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3ArtifactStore } from '../../src/artifacts/s3-artifact-store.js';
import { type S3TestServer, startS3TestServer } from './s3-test-server.js';

let server: S3TestServer;
let client: S3Client;

beforeAll(async () => {
  server = await startS3TestServer();
  client = server.client();
});
afterAll(async () => {
  await server?.close();
});

/** A client that counts the requests it sends, by command name. */
function countingClient(): { client: S3Client; sent: Map<string, number> } {
  const counted = server.client();
  const sent = new Map<string, number>();
  counted.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? '';
      sent.set(name, (sent.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize' },
  );
  return { client: counted, sent };
}

async function allKeys(): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: server.bucket, ContinuationToken: token }),
    );
    keys.push(...(page.Contents ?? []).map((object) => object.Key ?? ''));
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return keys.sort();
}

async function startUpload(key: string): Promise<string> {
  const created = await client.send(
    new CreateMultipartUploadCommand({ Bucket: server.bucket, Key: key }),
  );
  const uploadId = created.UploadId as string;
  await client.send(
    new UploadPartCommand({
      Bucket: server.bucket,
      Key: key,
      UploadId: uploadId,
      PartNumber: 1,
      Body: Buffer.from('a part'),
    }),
  );
  return uploadId;
}

describe('removeAll()', () => {
  it('removes every object under the prefix, over several pages and batches, and nothing else', async () => {
    const { client: counted, sent } = countingClient();
    const store = createS3ArtifactStore(
      server.storeOptions({ prefix: 'tenant/', pageSize: 10, client: counted }),
    );
    const doomed = Array.from({ length: 35 }, (_, index) => `jobs/a/part-${index}.csv`);
    const kept = ['jobs/ab/export.csv', 'jobs/b/export.csv', 'jobs/a'];
    for (const key of [...doomed, ...kept]) await store.put(key, key);
    const outside = createS3ArtifactStore(server.storeOptions({ client: counted }));
    await outside.put('jobs/a/export.csv', 'not under the tenant prefix');

    await store.removeAll('jobs/a/');

    expect(await allKeys()).toEqual([
      'jobs/a/export.csv',
      'tenant/jobs/a',
      'tenant/jobs/ab/export.csv',
      'tenant/jobs/b/export.csv',
    ]);
    expect(sent.get('ListObjectsV2Command')).toBe(4);
    expect(sent.get('DeleteObjectsCommand')).toBe(4);
    await expect(store.removeAll('jobs/none/')).resolves.toBeUndefined();
  });
});

describe('removeUnfinished()', () => {
  it('aborts the uploads under the prefix begun more than olderThanMs ago, and leaves young ones', async () => {
    const store = createS3ArtifactStore(server.storeOptions({ prefix: 'sweep/', pageSize: 1 }));
    const old = [
      await startUpload('sweep/jobs/1/export.csv'),
      await startUpload('sweep/jobs/2/export.csv'),
    ];
    await startUpload('elsewhere/jobs/3/export.csv');
    await server.backdateUploads(10 * 60_000);
    await startUpload('sweep/jobs/4/export.csv');
    await startUpload('sweep/jobs/4/export.csv');

    await expect(store.removeUnfinished('jobs/', { olderThanMs: 5 * 60_000 })).resolves.toBe(2);

    const left = await server.pendingUploads();
    expect(left.map((upload) => upload.key)).toEqual([
      'elsewhere/jobs/3/export.csv',
      'sweep/jobs/4/export.csv',
      'sweep/jobs/4/export.csv',
    ]);
    expect(left.map((upload) => upload.uploadId)).not.toContain(old[0]);

    await expect(store.removeUnfinished('jobs/', { olderThanMs: 0 })).resolves.toBe(2);
    expect((await server.pendingUploads()).map((upload) => upload.key)).toEqual([
      'elsewhere/jobs/3/export.csv',
    ]);
    await expect(store.removeUnfinished('jobs/')).resolves.toBe(0);
  });
});
