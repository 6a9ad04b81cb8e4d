import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { ArtifactUpload } from './artifact-store.js';
import { PendingBytes } from './pending-bytes.js';
import { classifyS3Error, type S3StoreNames, toStoreError } from './s3-errors.js';

export interface S3UploadTarget {
  client: S3Client;
  names: S3StoreNames;
  /** The caller's key, for messages. */
  key: string;
  /** The key in the bucket, prefix included. */
  objectKey: string;
  contentType: string | undefined;
  partSize: number;
  queueSize: number;
}

/**
 * One object written as it is produced: every `partSize` bytes become a part of a multipart
 * upload, at most `queueSize` of them in flight, and the writable waits while they are (its
 * memory is bounded by about (queueSize + 1) × partSize). An object smaller than one part is
 * sent whole by complete(). Only complete() makes anything visible under the key.
 */
export function beginS3Upload(target: S3UploadTarget): ArtifactUpload {
  const { client, names, key, objectKey, partSize, queueSize } = target;
  const bucket = names.bucket;
  const pending = new PendingBytes();
  const parts: { PartNumber: number; ETag: string }[] = [];
  const inFlight = new Set<Promise<void>>();
  // Cancels the part requests in flight when the upload is given up.
  const partRequests = new AbortController();
  let partCount = 0;
  let bytes = 0;
  let uploadId: Promise<string> | undefined;
  let failure: unknown;
  let completing: Promise<{ bytes: number }> | undefined;
  let discarding: Promise<void> | undefined;
  let aborting: Promise<void> | undefined;

  const storeError = (error: unknown, operation: string) =>
    toStoreError(error, names, operation, key);

  // Not cancelled with the parts: an upload S3 created must be known to be aborted.
  const createUpload = async (): Promise<string> => {
    const created = await client
      .send(
        new CreateMultipartUploadCommand({
          Bucket: bucket,
          Key: objectKey,
          ContentType: target.contentType,
        }),
      )
      .catch((error: unknown) => {
        throw storeError(error, 'CreateMultipartUpload');
      });
    if (created.UploadId === undefined) throw new Error('CreateMultipartUpload gave no UploadId');
    return created.UploadId;
  };

  const sendPart = async (partNumber: number, body: Buffer): Promise<void> => {
    uploadId ??= createUpload();
    const id = await uploadId;
    const sent = await client
      .send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: objectKey,
          UploadId: id,
          PartNumber: partNumber,
          Body: body,
          ContentLength: body.length,
        }),
        { abortSignal: partRequests.signal },
      )
      .catch((error: unknown) => {
        throw storeError(error, 'UploadPart');
      });
    if (sent.ETag === undefined) throw new Error(`UploadPart ${partNumber} gave no ETag`);
    parts.push({ PartNumber: partNumber, ETag: sent.ETag });
  };

  const startPart = (body: Buffer): void => {
    partCount += 1;
    const sending: Promise<void> = sendPart(partCount, body)
      .catch((error: unknown) => {
        // Cancelled by abort() or a destroyed writable: the reason is theirs, not this part's.
        if (partRequests.signal.aborted) return;
        failure ??= error;
        // The writer may be idle: stop it now rather than at its next write.
        if (!writable.destroyed) writable.destroy(error as Error);
      })
      .finally(() => inFlight.delete(sending));
    inFlight.add(sending);
  };

  const sendFullParts = async (): Promise<void> => {
    while (pending.length >= partSize) {
      const body = pending.take(partSize);
      while (inFlight.size >= queueSize) await Promise.race(inFlight);
      if (failure !== undefined) throw failure;
      startPart(body);
    }
  };

  const settleParts = async (): Promise<void> => {
    while (inFlight.size > 0) await Promise.all(inFlight);
    if (failure !== undefined) throw failure;
  };

  const writable = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (failure !== undefined) return callback(failure as Error);
      bytes += chunk.length;
      pending.push(chunk);
      if (pending.length < partSize) return callback();
      sendFullParts().then(() => callback(), callback);
    },
    final(callback) {
      const lastPart = async () => {
        await settleParts();
        // Kept for complete(): a single PutObject, visible only then.
        if (partCount === 0) return;
        if (pending.length > 0) startPart(pending.take(pending.length));
        await settleParts();
      };
      lastPart().then(() => callback(), callback);
    },
    destroy(error, callback) {
      // Also called once finished (autoDestroy): the parts are all sent by then.
      if (!this.writableFinished) partRequests.abort();
      callback(error);
    },
  });

  // A part that fails while the writer is idle destroys the writable with its error: complete()
  // reports it, and a writer without an 'error' listener must not crash the process for it.
  writable.on('error', () => {});

  const finish = async (): Promise<{ bytes: number }> => {
    try {
      await finished(writable);
    } catch (error) {
      // The writable's error: a part's failure, or whatever its writer destroyed it with.
      await discardOnce().catch(() => {});
      throw error;
    }
    try {
      if (partCount === 0) {
        const body = pending.take(pending.length);
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: objectKey,
            Body: body,
            ContentLength: body.length,
            ContentType: target.contentType,
          }),
        );
      } else {
        await client.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: objectKey,
            UploadId: await (uploadId as Promise<string>),
            MultipartUpload: { Parts: parts.toSorted((a, b) => a.PartNumber - b.PartNumber) },
          }),
        );
      }
    } catch (error) {
      const mapped = storeError(error, partCount === 0 ? 'PutObject' : 'CompleteMultipartUpload');
      await discardOnce().catch(() => {});
      throw mapped;
    }
    return { bytes };
  };

  // Stops the writer, lets the parts in flight end, then has S3 drop the upload and its parts.
  const discard = async (): Promise<void> => {
    partRequests.abort();
    if (!writable.destroyed) writable.destroy();
    while (inFlight.size > 0) await Promise.allSettled(inFlight);
    const id = await uploadId?.catch(() => undefined);
    if (id === undefined) return;
    try {
      await client.send(
        new AbortMultipartUploadCommand({ Bucket: bucket, Key: objectKey, UploadId: id }),
      );
    } catch (error) {
      // Already gone (aborted twice, or swept): what abort wants.
      if (classifyS3Error(error).kind === 'not-found') return;
      throw storeError(error, 'AbortMultipartUpload');
    }
  };

  // Once at a time; after a failure (S3 unreachable) a later call tries again.
  const discardOnce = (): Promise<void> => {
    discarding ??= discard().catch((error: unknown) => {
      discarding = undefined;
      throw error;
    });
    return discarding;
  };

  // Once complete() has begun it is not cut short: whether the object became visible is then
  // its answer, as a rename is the local folder's.
  const abort = (): Promise<void> => {
    aborting ??= (async () => {
      if (completing !== undefined) {
        const completed = await completing.then(
          () => true,
          () => false,
        );
        if (completed) return;
      }
      await discardOnce();
    })().catch((error: unknown) => {
      aborting = undefined;
      throw error;
    });
    return aborting;
  };

  return {
    writable,
    complete: () => {
      completing ??= finish();
      return completing;
    },
    abort,
  };
}
