import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { NormalizedS3StoreOptions } from './s3-store-options.js';

/**
 * The store's own client. Bounded attempts and a connection timeout make a boot against an
 * endpoint that is down fail within seconds rather than hang on the SDK's defaults.
 */
export function createS3Client(options: NormalizedS3StoreOptions): S3Client {
  return new S3Client({
    region: options.region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    forcePathStyle: options.forcePathStyle,
    // Absent, the SDK's default chain: the environment, a profile, the instance's role.
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    maxAttempts: options.maxAttempts,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: options.connectionTimeoutMs,
      // Inactivity, not a deadline: a 5 MiB part on a slow link may take long, but not silently.
      socketTimeout: options.socketTimeoutMs,
    }),
    // The CRC32 checksums newer SDKs add to every upload are refused or mishandled by several
    // S3-compatible servers; TLS and SigV4 already cover the bytes in transit.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
