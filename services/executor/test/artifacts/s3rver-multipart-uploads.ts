// ListMultipartUploads and AbortMultipartUpload for s3rver, which has neither, over the upload
// folders s3rver itself keeps; shapes and errors as the S3 API reference has them.
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type S3rver from '@20minutes/s3rver';
import AWSAccount from '@20minutes/s3rver/lib/models/account.js';
import S3Error from '@20minutes/s3rver/lib/models/error.js';
import { compareText, ignoreMissing, queryText } from './s3rver-request.js';

type Context = S3rver.Context;

export interface PendingUpload {
  key: string;
  uploadId: string;
  initiated: Date;
  /** Its folder: `key` (the object key), `metadata`, and one file per part. */
  directory: string;
}

/** Where s3rver keeps a bucket's multipart uploads, one folder per upload ID. */
export function uploadsDirectory(store: S3rver.FilesystemStore, bucket: string): string {
  return store.getResourcePath(bucket, undefined, 'uploads');
}

/** The bucket's uploads neither completed nor aborted, by key then upload ID. */
export async function pendingUploads(
  store: S3rver.FilesystemStore,
  bucket: string,
): Promise<PendingUpload[]> {
  const root = uploadsDirectory(store, bucket);
  const names = await readdir(root).catch(ignoreMissing([]));
  const uploads = await Promise.all(names.map((name) => readUpload(join(root, name), name)));
  return uploads
    .filter((upload) => upload !== undefined)
    .sort((a, b) => compareText(a.key, b.key) || compareText(a.uploadId, b.uploadId));
}

/** AbortMultipartUpload: 204, and the upload's parts are gone; NoSuchUpload if it is not there. */
export async function abortMultipartUpload(context: Context): Promise<void> {
  const upload = await existingUpload(context);
  await rm(upload.directory, { recursive: true, force: true });
  context.status = 204;
}

/**
 * ListMultipartUploads with prefix, key-marker, upload-id-marker and max-uploads (not delimiter).
 * Within a key, by upload ID: S3 pages past upload-id-marker by upload ID too.
 */
export async function listMultipartUploads(context: Context): Promise<void> {
  const bucket = context.params.bucket as string;
  const prefix = queryText(context, 'prefix');
  const keyMarker = queryText(context, 'key-marker');
  const uploadIdMarker = queryText(context, 'upload-id-marker');
  if (queryText(context, 'delimiter') !== '') {
    throw new S3Error('NotImplemented', 'delimiter is not implemented by this test server');
  }
  const maxUploads = maxUploadsOf(context);
  const after = (upload: PendingUpload) =>
    upload.key > keyMarker ||
    (upload.key === keyMarker && uploadIdMarker !== '' && upload.uploadId > uploadIdMarker);
  const matching = (await pendingUploads(context.store, bucket)).filter(
    (upload) => upload.key.startsWith(prefix) && (keyMarker === '' || after(upload)),
  );
  const page = matching.slice(0, maxUploads);
  const last = page.at(-1);
  const { id, displayName } = AWSAccount.DUMMY_ACCOUNT;
  const owner = { ID: id, DisplayName: displayName };
  context.body = {
    ListMultipartUploadsResult: {
      '@': { xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/' },
      Bucket: bucket,
      KeyMarker: keyMarker,
      UploadIdMarker: uploadIdMarker,
      NextKeyMarker: last?.key ?? '',
      Prefix: prefix,
      NextUploadIdMarker: last?.uploadId ?? '',
      MaxUploads: maxUploads,
      IsTruncated: matching.length > page.length,
      ...(page.length === 0
        ? {}
        : {
            Upload: page.map((upload) => ({
              Key: upload.key,
              UploadId: upload.uploadId,
              Initiator: owner,
              Owner: owner,
              StorageClass: 'STANDARD',
              Initiated: upload.initiated.toISOString(),
            })),
          }),
    },
  };
}

/** The upload `?uploadId=` names, of the request's key; NoSuchUpload when there is none. */
export async function existingUpload(context: Context): Promise<PendingUpload> {
  const uploadId = queryText(context, 'uploadId');
  const bucket = context.params.bucket as string;
  // s3rver's IDs are hex; anything else could name another folder.
  const upload = /^[0-9a-f]+$/.test(uploadId)
    ? await readUpload(join(uploadsDirectory(context.store, bucket), uploadId), uploadId)
    : undefined;
  if (upload === undefined || upload.key !== context.params.key) {
    throw new S3Error(
      'NoSuchUpload',
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      { UploadId: uploadId },
    );
  }
  return upload;
}

// The upload's `key` file is written when it is created: its time is the upload's Initiated.
async function readUpload(directory: string, uploadId: string): Promise<PendingUpload | undefined> {
  const keyFile = join(directory, 'key');
  try {
    const [key, keyStat] = await Promise.all([readFile(keyFile, 'utf8'), stat(keyFile)]);
    return { key, uploadId, initiated: keyStat.mtime, directory };
  } catch (error) {
    return ignoreMissing(undefined)(error);
  }
}

function maxUploadsOf(context: Context): number {
  const text = queryText(context, 'max-uploads');
  if (text === '') return 1000;
  if (!/^\d+$/.test(text) || Number(text) > 2_147_483_647) {
    throw new S3Error('InvalidArgument', 'Provided max-uploads not an integer or within range', {
      ArgumentName: 'max-uploads',
      ArgumentValue: text,
    });
  }
  return Math.min(1000, Number(text));
}
