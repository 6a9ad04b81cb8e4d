import { describe, expect, it } from 'vitest';
import { classifyS3Error, toStoreError } from '../../src/artifacts/s3-errors.js';

const names = { bucket: 'artifacts', region: 'eu-west-1', endpoint: 'http://s3.local:9000' };
const sdkError = (name: string, status: number) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

describe('classifyS3Error()', () => {
  it.each([
    [Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }), 'unreachable'],
    [new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' })]), 'unreachable'],
    [Object.assign(new Error('socket'), { name: 'TimeoutError' }), 'unreachable'],
    [sdkError('SlowDown', 503), 'unavailable'],
    [sdkError('InternalError', 500), 'unavailable'],
    [sdkError('Unknown', 502), 'unavailable'],
    [sdkError('NoSuchBucket', 404), 'no-such-bucket'],
    [sdkError('NoSuchKey', 404), 'not-found'],
    [sdkError('NotFound', 404), 'not-found'],
    [sdkError('NoSuchUpload', 404), 'not-found'],
    [sdkError('AccessDenied', 403), 'credentials'],
    [sdkError('SignatureDoesNotMatch', 403), 'credentials'],
    [sdkError('InvalidAccessKeyId', 403), 'credentials'],
    [Object.assign(new Error('none'), { name: 'CredentialsProviderError' }), 'credentials'],
    [sdkError('InvalidRange', 416), 'other'],
  ])('%s is %s', (error, kind) => {
    expect(classifyS3Error(error).kind).toBe(kind);
  });

  it("reads HeadBucket's bodiless 404 as no such bucket", () => {
    expect(classifyS3Error(sdkError('NotFound', 404), true).kind).toBe('no-such-bucket');
  });
});

describe('toStoreError()', () => {
  it('makes a network failure EXECUTOR_STORE_UNAVAILABLE (503), keeping the cause', () => {
    const cause = Object.assign(new Error('connect'), { code: 'ECONNRESET' });
    expect(toStoreError(cause, names, 'UploadPart', 'jobs/1/export.csv')).toMatchObject({
      code: 'EXECUTOR_STORE_UNAVAILABLE',
      statusCode: 503,
      message:
        'the artifact store is unreachable: UploadPart jobs/1/export.csv: ECONNRESET; retry shortly',
      cause,
    });
  });

  it('makes a bucket deleted behind its back EXECUTOR_STORE_MISCONFIGURED, naming EXPORT_S3_BUCKET', () => {
    expect(toStoreError(sdkError('NoSuchBucket', 404), names, 'PutObject', 'k')).toMatchObject({
      code: 'EXECUTOR_STORE_MISCONFIGURED',
      message: 'EXPORT_S3_BUCKET=artifacts: no such bucket',
    });
  });

  it('leaves an error it has no meaning for as it is', () => {
    const error = sdkError('InvalidRange', 416);
    expect(toStoreError(error, names, 'GetObject', 'k')).toBe(error);
  });
});
