import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll } from 'vitest';
import { s3PrefixOf } from './build-test-app.js';
import { clusterBackend, s3TestStore } from './test-backend.js';

let client: S3Client | undefined;

afterAll(() => {
  client?.destroy();
  client = undefined;
});

function s3Client(): S3Client | undefined {
  if (!s3TestStore) return undefined;
  client ??= new S3Client({
    endpoint: s3TestStore.endpoint,
    region: s3TestStore.region,
    forcePathStyle: true,
    credentials: {
      accessKeyId: s3TestStore.accessKeyId,
      secretAccessKey: s3TestStore.secretAccessKey,
    },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return client;
}

/**
 * Under the S3 projects, the names under `jobs/<id>/` (one job's objects) or `jobs/` (the
 * jobs' ids) that the app of `exportDirectory` keeps in the bucket; empty otherwise.
 */
export async function bucketNames(exportDirectory: string, folder: string): Promise<string[]> {
  const s3 = s3Client();
  if (!s3TestStore || !s3) return [];
  const prefix = `${s3PrefixOf(exportDirectory)}${folder}`;
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: s3TestStore.bucket,
        Prefix: prefix,
        Delimiter: '/',
        ContinuationToken: token,
      }),
    );
    for (const object of page.Contents ?? []) names.push((object.Key ?? '').slice(prefix.length));
    for (const common of page.CommonPrefixes ?? []) {
      names.push((common.Prefix ?? '').slice(prefix.length, -1));
    }
    token = page.NextContinuationToken;
  } while (token);
  return names;
}

/**
 * Overwrites a queued job's kept input: in the bucket when a cluster keeps inputs there, in the
 * job's folder otherwise.
 */
export async function replaceJobInput(
  exportDirectory: string,
  id: string,
  text: string,
): Promise<void> {
  const s3 = s3Client();
  if (!(s3TestStore && s3 && clusterBackend)) {
    await writeFile(join(exportDirectory, 'jobs', id, 'input.ndjson'), text);
    return;
  }
  await s3.send(
    new PutObjectCommand({
      Bucket: s3TestStore.bucket,
      Key: `${s3PrefixOf(exportDirectory)}jobs/${id}/input.ndjson`,
      Body: text,
    }),
  );
}
