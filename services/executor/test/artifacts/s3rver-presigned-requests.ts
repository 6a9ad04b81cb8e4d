// Presigned (query-string SigV4) requests, checked here rather than by s3rver: it encodes the
// query with encodeURIComponent where SigV4 wants RFC 3986, so any value holding ' ( ) * or !
// fails, and RFC 6266's filename*=UTF-8''… always holds two. Checked, the request goes on as
// s3rver's own check would let it: its account known, the signature parameters gone.
import { createHmac } from 'node:crypto';
import type S3rver from '@20minutes/s3rver';
import AWSAccount from '@20minutes/s3rver/lib/models/account.js';
import S3Error from '@20minutes/s3rver/lib/models/error.js';
import { getSigningKey, getStringToSign, parseQuery } from '@20minutes/s3rver/lib/signature/v4.js';
import { encodeURIComponentRFC3986 } from '@20minutes/s3rver/lib/utils.js';

export function isPresigned(context: S3rver.Context): boolean {
  return 'X-Amz-Algorithm' in context.query;
}

/** Verifies a presigned request for `/bucket[/key]` (path style) and strips its signature. */
export function acceptPresigned(
  context: S3rver.Context,
  target: { bucket: string; key: string | undefined },
): void {
  // Throws AccessDenied once expired, and on malformed parameters.
  const request = parseQuery(context.query);
  const account = AWSAccount.registry.get(request.accessKeyId);
  const secret = account?.accessKeys.get(request.accessKeyId);
  if (account === undefined || secret === undefined) {
    throw new S3Error(
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
      { AWSAccessKeyId: request.accessKeyId },
    );
  }
  const path = target.key === undefined ? `/${target.bucket}` : `/${target.bucket}/${target.key}`;
  const stringToSign = getStringToSign(
    {
      method: context.method,
      uri: path.split('/').map(encodeURIComponentRFC3986).join('/'),
      querystring: Object.entries(context.query)
        .filter(([name]) => name !== 'X-Amz-Signature')
        .map(([name, value]) =>
          [name, String(value ?? '')].map(encodeURIComponentRFC3986).join('='),
        )
        .sort()
        .join('&'),
      headers: context.headers,
      timestamp: request.time,
    },
    request,
  );
  const { date, region, service } = request.credential;
  const expected = createHmac('sha256', getSigningKey(secret, date, region, service))
    .update(stringToSign, 'utf8')
    .digest('hex');
  if (expected !== request.signatureProvided) {
    throw new S3Error(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      { AWSAccessKeyId: request.accessKeyId, StringToSign: stringToSign },
    );
  }
  context.state.account = account;
  context.query = Object.fromEntries(
    Object.entries(context.query).filter(([name]) => !name.startsWith('X-Amz-')),
  );
}
