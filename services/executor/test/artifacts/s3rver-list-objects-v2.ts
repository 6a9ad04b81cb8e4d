// ListObjectsV2 for s3rver, whose own makes continuation tokens with DES, which OpenSSL 3
// (Node 17 on) refuses: every truncated listing fails with a 500. Same listing (s3rver's
// store), the same result shape, a plain token.
import type S3rver from '@20minutes/s3rver';
import S3Error from '@20minutes/s3rver/lib/models/error.js';
import { queryText } from './s3rver-request.js';

const tokenPrefix = 'after:';

export async function listObjectsV2(context: S3rver.Context): Promise<void> {
  const bucket = context.params.bucket as string;
  const prefix = queryText(context, 'prefix');
  const delimiter = queryText(context, 'delimiter');
  const continuationToken = queryText(context, 'continuation-token');
  const startAfter = continuationToken === '' ? queryText(context, 'start-after') : '';
  const maxKeysText = queryText(context, 'max-keys');
  if (maxKeysText !== '' && !/^\d+$/.test(maxKeysText)) {
    throw new S3Error(
      'InvalidArgument',
      'Provided max-keys not an integer or within integer range',
      {
        ArgumentName: 'max-keys',
        ArgumentValue: maxKeysText,
      },
    );
  }
  const maxKeys = maxKeysText === '' ? 1000 : Math.min(1000, Number(maxKeysText));
  const listed =
    maxKeys === 0
      ? { objects: [], commonPrefixes: [], isTruncated: false }
      : await context.store.listObjects(bucket, {
          prefix,
          delimiter,
          maxKeys,
          startAfter: continuationToken === '' ? startAfter : keyOfToken(continuationToken),
        });
  const last = listed.objects.at(-1);
  context.body = {
    ListBucketResult: {
      '@': { xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/' },
      Name: bucket,
      Prefix: prefix,
      ...(startAfter === '' ? {} : { StartAfter: startAfter }),
      ...(continuationToken === '' ? {} : { ContinuationToken: continuationToken }),
      ...(listed.isTruncated && last !== undefined
        ? { NextContinuationToken: tokenOf(last.key) }
        : {}),
      KeyCount: listed.objects.length + listed.commonPrefixes.length,
      MaxKeys: maxKeys,
      ...(delimiter === '' ? {} : { Delimiter: delimiter }),
      IsTruncated: listed.isTruncated,
      Contents: listed.objects.map((object) => ({
        Key: object.key,
        LastModified: object.lastModifiedDate.toISOString(),
        ETag: object.metadata.etag,
        Size: object.size,
        StorageClass: 'STANDARD',
      })),
      CommonPrefixes: listed.commonPrefixes.map((commonPrefix) => ({ Prefix: commonPrefix })),
    },
  };
}

function tokenOf(key: string): string {
  return Buffer.from(tokenPrefix + key).toString('base64');
}

function keyOfToken(token: string): string {
  const text = Buffer.from(token, 'base64').toString('utf8');
  if (!text.startsWith(tokenPrefix)) {
    throw new S3Error('InvalidArgument', 'The continuation token provided is incorrect', {
      ArgumentName: 'continuation-token',
    });
  }
  return text.slice(tokenPrefix.length);
}
