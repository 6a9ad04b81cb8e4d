import {
  AbortMultipartUploadCommand,
  DeleteObjectsCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { classifyS3Error, type S3StoreNames, toStoreError } from './s3-errors.js';

export interface S3RemovalContext {
  client: S3Client;
  names: S3StoreNames;
  /** The store's prefix, before the caller's. */
  prefix: string;
  /** Keys (or uploads) asked for per list request, and deleted per DeleteObjects (≤ 1000). */
  pageSize: number;
}

/** Deletes every object under `prefix`, a listed page at a time (memory stays one page). */
export async function removeAllObjects(context: S3RemovalContext, prefix: string): Promise<void> {
  const { client, names, pageSize } = context;
  const failed = (error: unknown, operation: string) =>
    toStoreError(error, names, operation, prefix);
  let continuationToken: string | undefined;
  do {
    const page = await client
      .send(
        new ListObjectsV2Command({
          Bucket: names.bucket,
          Prefix: context.prefix + prefix,
          MaxKeys: pageSize,
          ContinuationToken: continuationToken,
        }),
      )
      .catch((error: unknown) => {
        throw failed(error, 'ListObjectsV2');
      });
    const keys = (page.Contents ?? []).flatMap((object) =>
      object.Key === undefined ? [] : [{ Key: object.Key }],
    );
    if (keys.length > 0) {
      const deleted = await client
        .send(
          new DeleteObjectsCommand({
            Bucket: names.bucket,
            Delete: { Objects: keys, Quiet: true },
          }),
        )
        .catch((error: unknown) => {
          throw failed(error, 'DeleteObjects');
        });
      // DeleteObjects answers 200 and lists, per key, what it could not delete.
      const refused = deleted.Errors?.[0];
      if (refused !== undefined) {
        throw failed(
          Object.assign(new Error(refused.Message ?? 'DeleteObjects refused a key'), {
            name: refused.Code ?? 'DeleteObjectsError',
          }),
          `DeleteObjects ${refused.Key}`,
        );
      }
    }
    continuationToken = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (continuationToken !== undefined);
}

/**
 * Aborts the multipart uploads under `prefix` initiated more than `olderThanMs` ago (S3 then
 * drops their parts); resolves with how many. A server that does not implement
 * ListMultipartUploads (501 NotImplemented) has none to show: 0.
 */
export async function abortUnfinishedUploads(
  context: S3RemovalContext,
  prefix: string,
  olderThanMs: number,
  now: number,
): Promise<number> {
  const { client, names, pageSize } = context;
  const failed = (error: unknown, operation: string) =>
    toStoreError(error, names, operation, prefix);
  let aborted = 0;
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  do {
    const page = await client
      .send(
        new ListMultipartUploadsCommand({
          Bucket: names.bucket,
          Prefix: context.prefix + prefix,
          MaxUploads: pageSize,
          KeyMarker: keyMarker,
          UploadIdMarker: uploadIdMarker,
        }),
      )
      .catch((error: unknown) => {
        if (cannotListUploads(error)) return undefined;
        throw failed(error, 'ListMultipartUploads');
      });
    // A server without ListMultipartUploads (npm's s3rver, some S3-compatible stores): nothing
    // can be found to abort, and the bucket's own cleanup (a lifecycle rule) is the net.
    if (page === undefined) return aborted;
    for (const upload of page.Uploads ?? []) {
      if (upload.Key === undefined || upload.UploadId === undefined) continue;
      const initiated = upload.Initiated?.getTime() ?? 0;
      if (now - initiated < olderThanMs) continue;
      try {
        await client.send(
          new AbortMultipartUploadCommand({
            Bucket: names.bucket,
            Key: upload.Key,
            UploadId: upload.UploadId,
          }),
        );
        aborted += 1;
      } catch (error) {
        // Completed or aborted since it was listed (its writer was alive after all).
        if (classifyS3Error(error).kind !== 'not-found')
          throw failed(error, 'AbortMultipartUpload');
      }
    }
    const truncated = page.IsTruncated === true;
    keyMarker = truncated ? page.NextKeyMarker : undefined;
    uploadIdMarker = truncated ? page.NextUploadIdMarker : undefined;
  } while (keyMarker !== undefined);
  return aborted;
}

function cannotListUploads(error: unknown): boolean {
  const shape = error as { name?: unknown; $metadata?: { httpStatusCode?: unknown } } | null;
  return shape?.name === 'NotImplemented' || shape?.$metadata?.httpStatusCode === 501;
}
