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
 * store's prefix put and deleted, all within `timeoutMs` (a server that accepts connections
 * and never answers is not waited on). Rejects with EXECUTOR_STORE_MISCONFIGURED naming the
 * variable to fix.
 */
export async function checkS3Store(
  client: S3Client,
  names: S3StoreNames,
  prefix: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = AbortSignal.timeout(timeoutMs);
  const failed = (error: unknown, headBucket = false) =>
    toCheckError(
      deadline.aborted
        ? Object.assign(new Error(`no answer within ${timeoutMs} ms`), { name: 'TimeoutError' })
        : error,
      names,
      headBucket,
    );
  try {
    await client.send(new HeadBucketCommand({ Bucket: names.bucket }), { abortSignal: deadline });
  } catch (error) {
    throw failed(error, true);
  }
  // A process's own name, so that two booting at once never delete each other's probe.
  const probeKey = `${prefix}.store-check/${randomUUID()}`;
  try {
    await client.send(
      new PutObjectCommand({ Bucket: names.bucket, Key: probeKey, Body: 'ok', ContentLength: 2 }),
      { abortSignal: deadline },
    );
    await client.send(new DeleteObjectCommand({ Bucket: names.bucket, Key: probeKey }), {
      abortSignal: deadline,
    });
  } catch (error) {
    throw failed(error);
  }
}
