/**
 * Test-server additions: what @20minutes/s3rver 5.0.0 lacks or gets wrong and the S3 store relies
 * on, put as Koa middleware in front of s3rver's router. They use s3rver's own signature check,
 * bucket check, errors and folders, and follow the S3 API reference, since the SDK parses them:
 *
 * - ListMultipartUploads (GET /bucket?uploads): s3rver answers NotImplemented.
 * - AbortMultipartUpload (DELETE /bucket/key?uploadId=): s3rver answers MethodNotAllowed.
 * - NoSuchUpload for UploadPart and CompleteMultipartUpload of an upload that is gone (s3rver
 *   would recreate its folder, or fail with a 500).
 * - ListObjectsV2: s3rver's continuation tokens need DES, which Node 17 and later refuse.
 * - Bucket requests with the trailing slash the SDK sends in path style (`GET /bucket/?list-type=2`):
 *   s3rver checks their signature against `/bucket`, and so refuses every one.
 * - `Range: bytes=0-0`: s3rver reads the end 0 as "no end" and sends the whole object.
 * - Presigned URLs whose query holds ' ( ) * or ! (as filename*=UTF-8''… does): s3rver encodes
 *   them apart from SigV4 and refuses the signature.
 */
import type S3rver from '@20minutes/s3rver';
import { bucketExists } from '@20minutes/s3rver/lib/controllers/bucket.js';
import authentication from '@20minutes/s3rver/lib/middleware/authentication.js';
import { listObjectsV2 } from './s3rver-list-objects-v2.js';
import {
  abortMultipartUpload,
  existingUpload,
  listMultipartUploads,
} from './s3rver-multipart-uploads.js';
import { acceptPresigned, isPresigned } from './s3rver-presigned-requests.js';
import { parseTarget } from './s3rver-request.js';

type Operation = (context: S3rver.Context, next: S3rver.Next) => Promise<void>;

/** Installs the additions on a server not yet running. */
export function addS3rverAdditions(server: S3rver): void {
  const router = server.middleware.at(-1) as { router?: unknown } | undefined;
  if (router?.router === undefined) throw new Error("s3rver's router is not its last middleware");
  // After s3rver's virtual-host rewriting, before its routes.
  server.middleware.splice(server.middleware.length - 1, 0, s3rverAdditions());
  readZeroEndedRanges(server.store);
}

function s3rverAdditions(): S3rver.Middleware {
  const authenticate = authentication();
  return async (context, next) => {
    const target = parseTarget(context.path);
    if (target === undefined) return next();
    if (target.key === undefined && context.path.endsWith('/') && context.state.vhost !== true) {
      // For a virtual-host request s3rver signs `/<bucket>` + mountPath: so marked, `/<bucket>/`
      // is checked against the path the SDK signed.
      context.path = `/${target.bucket}`;
      context.state.vhost = true;
      context.mountPath = '/';
    }
    if (isPresigned(context)) acceptPresigned(context, target);
    const operation = operationFor(context, target.key);
    if (operation === undefined) return next();
    context.params = { bucket: target.bucket, key: target.key };
    await authenticate(context, () => bucketExists(context, () => operation(context, next)));
  };
}

function operationFor(context: S3rver.Context, key: string | undefined): Operation | undefined {
  const has = (name: string) => name in context.query;
  if (key === undefined) {
    if (context.method !== 'GET') return undefined;
    if (has('uploads')) return listMultipartUploads;
    return context.query['list-type'] === '2' ? listObjectsV2 : undefined;
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

// s3rver's store takes `options.end || Infinity`; the text '0' is truthy yet compares as 0.
function readZeroEndedRanges(store: S3rver.FilesystemStore): void {
  const getObject = store.getObject.bind(store);
  store.getObject = (bucket, key, options) =>
    getObject(bucket, key, options?.end === 0 ? { ...options, end: '0' } : options);
}
