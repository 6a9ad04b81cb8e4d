import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll } from 'vitest';
import type { ArtifactStore } from '../../src/artifacts/artifact-store.js';
import { createS3ArtifactStore } from '../../src/artifacts/s3-artifact-store.js';
import { describeArtifactStore } from './artifact-store-contract.js';
import { type S3TestServer, startS3TestServer } from './s3-test-server.js';

let server: S3TestServer | undefined;
const stores: ArtifactStore[] = [];

afterAll(async () => {
  for (const store of stores) await store.close();
  await server?.close();
});

describeArtifactStore('an S3 bucket', async () => {
  server ??= await startS3TestServer();
  const s3 = server;
  const prefix = `contract-${stores.length}/`;
  const store = createS3ArtifactStore(s3.storeOptions({ prefix }));
  stores.push(store);
  const client = s3.client();
  return {
    store,
    async keys() {
      const listed = await client.send(
        new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }),
      );
      return (listed.Contents ?? [])
        .map((object) => (object.Key ?? '').slice(prefix.length))
        .sort();
    },
    async unfinished() {
      return (await s3.pendingUploads()).filter((upload) => upload.key.startsWith(prefix)).length;
    },
  };
});
