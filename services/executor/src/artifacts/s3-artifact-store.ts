import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { attachmentDisposition } from '@org/export-fastify';
import type { ArtifactStore } from './artifact-store.js';
import { checkS3Store } from './check-s3-store.js';
import { createS3Client } from './create-s3-client.js';
import { classifyS3Error, type S3StoreNames, toStoreError } from './s3-errors.js';
import { abortUnfinishedUploads, removeAllObjects } from './s3-removal.js';
import { normalizeS3StoreOptions, type S3StoreOptions } from './s3-store-options.js';
import { beginS3Upload } from './s3-upload.js';

/** An artifact store in an S3 bucket (AWS's, or any S3-compatible server's), keys under `prefix`. */
export function createS3ArtifactStore(options: S3StoreOptions): ArtifactStore {
  const normalized = normalizeS3StoreOptions(options);
  const { bucket, prefix } = normalized;
  const client = normalized.client ?? createS3Client(normalized);
  const ownsClient = normalized.client === undefined;
  const names: S3StoreNames = {
    bucket,
    region: normalized.region,
    endpoint: normalized.endpoint,
  };
  const removal = { client, names, prefix, pageSize: normalized.pageSize };
  const failed = (error: unknown, operation: string, key: string) =>
    toStoreError(error, names, operation, key);

  return {
    kind: 's3',

    begin: (key, writeOptions) =>
      beginS3Upload({
        client,
        names,
        key,
        objectKey: prefix + key,
        contentType: writeOptions?.contentType,
        partSize: normalized.partSize,
        queueSize: normalized.queueSize,
      }),

    async put(key, body, writeOptions) {
      const bytes = typeof body === 'string' ? Buffer.from(body) : body;
      await client
        .send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: prefix + key,
            Body: bytes,
            ContentLength: bytes.byteLength,
            ContentType: writeOptions?.contentType,
          }),
        )
        .catch((error: unknown) => {
          throw failed(error, 'PutObject', key);
        });
    },

    async head(key) {
      try {
        const head = await client.send(
          new HeadObjectCommand({ Bucket: bucket, Key: prefix + key }),
        );
        return { size: head.ContentLength ?? 0, lastModified: head.LastModified ?? new Date(0) };
      } catch (error) {
        if (classifyS3Error(error).kind === 'not-found') return undefined;
        throw failed(error, 'HeadObject', key);
      }
    },

    async read(key, range) {
      const object = await client
        .send(
          new GetObjectCommand({
            Bucket: bucket,
            Key: prefix + key,
            Range: range === undefined ? undefined : `bytes=${range.start}-${range.end}`,
          }),
        )
        .catch((error: unknown) => {
          throw failed(error, 'GetObject', key);
        });
      // In Node the SDK's body is the HTTP response itself: streamed, never buffered.
      return object.Body as Readable;
    },

    async remove(key) {
      await client
        .send(new DeleteObjectCommand({ Bucket: bucket, Key: prefix + key }))
        .catch((error: unknown) => {
          throw failed(error, 'DeleteObject', key);
        });
    },

    removeAll: (keyPrefix) => removeAllObjects(removal, keyPrefix),

    removeUnfinished: (keyPrefix, sweepOptions) =>
      abortUnfinishedUploads(removal, keyPrefix, sweepOptions?.olderThanMs ?? 0, Date.now()),

    presignedUrl: (key, urlOptions) =>
      getSignedUrl(
        client,
        new GetObjectCommand({
          Bucket: bucket,
          Key: prefix + key,
          ResponseContentDisposition: attachmentDisposition(urlOptions.fileName),
          ResponseContentType: urlOptions.contentType,
        }),
        { expiresIn: urlOptions.expiresInSeconds },
      ),

    check: () => checkS3Store(client, names, prefix, normalized.checkTimeoutMs),

    async close() {
      if (ownsClient) client.destroy();
    },
  };
}
