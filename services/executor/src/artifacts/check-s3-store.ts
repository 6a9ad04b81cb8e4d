import { randomUUID } from 'node:crypto';
import {
  DeleteObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { type S3StoreNames, toCheckError } from './s3-errors.js';

/**
 * Proves the bucket is there and takes a write: HeadBucket, then a probe object under the
 * store's prefix put and deleted. Rejects with EXECUTOR_STORE_MISCONFIGURED naming the variable.
 */
export async function checkS3Store(
  client: S3Client,
  names: S3StoreNames,
  prefix: string,
): Promise<void> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: names.bucket }));
  } catch (error) {
    throw toCheckError(error, names, true);
  }
  // A process's own name, so that two booting at once never delete each other's probe.
  const probeKey = `${prefix}.store-check/${randomUUID()}`;
  try {
    await client.send(
      new PutObjectCommand({ Bucket: names.bucket, Key: probeKey, Body: 'ok', ContentLength: 2 }),
    );
    await client.send(new DeleteObjectCommand({ Bucket: names.bucket, Key: probeKey }));
  } catch (error) {
    throw toCheckError(error, names);
  }
}
