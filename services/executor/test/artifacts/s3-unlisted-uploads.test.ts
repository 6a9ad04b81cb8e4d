import type { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { abortUnfinishedUploads } from '../../src/artifacts/s3-removal.js';

/** A client whose every request fails with `error`, as a server would answer it. */
function failingClient(error: unknown): S3Client {
  return { send: () => Promise.reject(error) } as unknown as S3Client;
}

function context(client: S3Client) {
  return {
    client,
    names: { bucket: 'exports', region: 'us-east-1', endpoint: 'http://127.0.0.1:9000' },
    prefix: '',
    pageSize: 1000,
  };
}

describe('aborting unfinished uploads', () => {
  it('finds none on a server without ListMultipartUploads (501 NotImplemented), rather than fail', async () => {
    const notImplemented = Object.assign(
      new Error('A header you provided implies functionality that is not implemented'),
      {
        name: 'NotImplemented',
        $metadata: { httpStatusCode: 501 },
      },
    );
    await expect(
      abortUnfinishedUploads(context(failingClient(notImplemented)), 'jobs/x/', 0, Date.now()),
    ).resolves.toBe(0);
  });

  it('fails with EXECUTOR_STORE_UNAVAILABLE when the server is down', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9000'), {
      code: 'ECONNREFUSED',
    });
    await expect(
      abortUnfinishedUploads(context(failingClient(refused)), 'jobs/x/', 0, Date.now()),
    ).rejects.toMatchObject({ code: 'EXECUTOR_STORE_UNAVAILABLE' });
  });
});
