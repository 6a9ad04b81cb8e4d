/**
 * Test-server additions: what @20minutes/s3rver 5.0.0 lacks and the S3 store relies on, added
 * as Koa middleware in front of s3rver's router, using s3rver's own signature check, bucket
 * check, errors and upload folders. Each follows the S3 API reference, since the SDK parses it:
 *
 * - ListMultipartUploads (GET /bucket?uploads): s3rver answers NotImplemented.
 * - AbortMultipartUpload (DELETE /bucket/key?uploadId=): s3rver answers MethodNotAllowed.
 * - NoSuchUpload for UploadPart and CompleteMultipartUpload of an upload that is gone (s3rver
 *   would recreate its folder, or fail with a 500).
 * - Bucket requests with the trailing slash the SDK sends in path style (`GET /bucket/?list-type=2`):
 *   s3rver signs them as `/bucket` and so refuses every one with SignatureDoesNotMatch.
 */
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type S3rver from '@20minutes/s3rver';
import { bucketExists } from '@20minutes/s3rver/lib/controllers/bucket.js';
import authentication from '@20minutes/s3rver/lib/middleware/authentication.js';
import { DUMMY_ACCOUNT } from '@20minutes/s3rver/lib/models/account.js';
import S3Error from '@20minutes/s3rver/lib/models/error.js';

type Context = S3rver.Context;

export interface PendingUpload {
  key: string;
  uploadId: string;
  initiated: Date;
  /** Its folder: `key` (the object key), `metadata`, and one file per part. */
  directory: string;
}

/** Puts the additions just before s3rver's router, after its virtual-host rewriting. */
export function addS3rverAdditions(server: S3rver): void {
  const router = server.middleware.at(-1) as { router?: unknown } | undefined;
  if (router?.router === undefined) throw new Error("s3rver's router is not its last middleware");
  server.middleware.splice(server.middleware.length - 1, 0, s3rverAdditions());
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
    .sort((a, b) => compare(a.key, b.key) || compare(a.uploadId, b.uploadId));
}

function s3rverAdditions(): S3rver.Middleware {
  const authenticate = authentication();
  return async (context, next) => {
    const target = parseTarget(context.path);
    if (target === undefined) return next();
    if (target.key === undefined && context.path.endsWith('/') && context.state.vhost !== true) {
      // s3rver builds the signed resource as `/<bucket>` + mountPath for a virtual-host request:
      // so marked, `/<bucket>/` is checked against the path the SDK signed.
      context.path = `/${target.bucket}`;
      context.state.vhost = true;
      context.mountPath = '/';
    }
    const operation = operationFor(context, target.key);
    if (operation === undefined) return next();
    context.params = { bucket: target.bucket, key: target.key };
    await authenticate(context, () => bucketExists(context, () => operation(context, next)));
  };
}

type Operation = (context: Context, next: S3rver.Next) => Promise<void>;

function operationFor(context: Context, key: string | undefined): Operation | undefined {
  const has = (name: string) => name in context.query;
  if (key === undefined) {
    return context.method === 'GET' && has('uploads') ? listMultipartUploads : undefined;
  }
  if (!has('uploadId')) return undefined;
  if (context.method === 'DELETE') return abortMultipartUpload;
  // UploadPart and CompleteMultipartUpload stay s3rver's, once the upload is known to exist.
  if (context.method === 'PUT' || context.method === 'POST') {
    return async (context, next) => {
      await existingUpload(context);
      await next();
    };
  }
  return undefined;
}

// AbortMultipartUpload: 204, and the upload's parts are gone; NoSuchUpload if it is not there.
async function abortMultipartUpload(context: Context): Promise<void> {
  const upload = await existingUpload(context);
  await rm(upload.directory, { recursive: true, force: true });
  context.status = 204;
}

// ListMultipartUploads with prefix, key-marker, upload-id-marker and max-uploads (no delimiter).
async function listMultipartUploads(context: Context): Promise<void> {
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
  const owner = { ID: DUMMY_ACCOUNT.id, DisplayName: DUMMY_ACCOUNT.displayName };
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

async function existingUpload(context: Context): Promise<PendingUpload> {
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

// `/bucket`, `/bucket/` or `/bucket/some/key`, percent-decoded as s3rver's router does.
function parseTarget(path: string): { bucket: string; key: string | undefined } | undefined {
  const match = /^\/([^/]+)(?:\/(.*))?$/.exec(path);
  if (match === null) return undefined;
  const [, bucket = '', rest] = match;
  const key = rest === undefined || rest === '' ? undefined : rest;
  try {
    return {
      bucket: decodeURIComponent(bucket),
      key: key === undefined ? undefined : key.split('/').map(decodeURIComponent).join('/'),
    };
  } catch {
    return undefined;
  }
}

function queryText(context: Context, name: string): string {
  const value = context.query[name];
  return typeof value === 'string' ? value : '';
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function ignoreMissing<T>(fallback: T) {
  return (error: unknown): T => {
    if ((error as { code?: unknown }).code === 'ENOENT') return fallback;
    throw error;
  };
}
