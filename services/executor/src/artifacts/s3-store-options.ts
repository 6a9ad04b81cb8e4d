import type { S3Client } from '@aws-sdk/client-s3';
import { StoreMisconfiguredError } from '../errors.js';

/** What a caller passes to createS3ArtifactStore; the defaults are in s3StoreDefaults. */
export interface S3StoreOptions {
  /** EXPORT_S3_BUCKET. */
  bucket: string;
  /** Put before every key, as is (`exports/` gives `exports/jobs/<id>/…`). Default ''. */
  prefix?: string;
  /** EXPORT_S3_REGION (or AWS_REGION). */
  region: string;
  /** EXPORT_S3_ENDPOINT: an S3-compatible server's URL. Absent: AWS's own for the region. */
  endpoint?: string | undefined;
  /** `bucket` in the path, not the host name (most S3-compatible servers want it). */
  forcePathStyle?: boolean | undefined;
  /** For tests only: production takes the SDK's default chain (AWS_ACCESS_KEY_ID, a role, …). */
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** A client of the caller's (which the caller closes); the options above then only name things. */
  client?: S3Client | undefined;
  /** Bytes of one multipart part, at least 5 MiB (S3's minimum). Default 5 MiB. */
  partSize?: number;
  /** Parts sent at once; with partSize, bounds an upload's memory. Default 2. */
  queueSize?: number;
  /** Keys (or uploads) one list request asks for, and deleted per request, 1 to 1000. Default 1000. */
  pageSize?: number;
  /** Attempts of one request, the first included. Default 3. */
  maxAttempts?: number;
  /** How long a TCP connection may take to open. Default 3000. */
  connectionTimeoutMs?: number;
  /** How long a connection may stay silent mid-request (a paused download included). Default 60 000. */
  socketTimeoutMs?: number;
  /** How long check() may take in all, retries included. Default 10 000. */
  checkTimeoutMs?: number;
}

export interface NormalizedS3StoreOptions {
  readonly bucket: string;
  readonly prefix: string;
  readonly region: string;
  readonly endpoint: string | undefined;
  readonly forcePathStyle: boolean;
  readonly credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  readonly client: S3Client | undefined;
  readonly partSize: number;
  readonly queueSize: number;
  readonly pageSize: number;
  readonly maxAttempts: number;
  readonly connectionTimeoutMs: number;
  readonly socketTimeoutMs: number;
  readonly checkTimeoutMs: number;
}

const mebibyte = 1024 * 1024;

export const s3StoreDefaults = {
  prefix: '',
  partSize: 5 * mebibyte,
  queueSize: 2,
  pageSize: 1000,
  maxAttempts: 3,
  connectionTimeoutMs: 3000,
  socketTimeoutMs: 60_000,
  checkTimeoutMs: 10_000,
} as const;

/** The options checked once, against s3StoreDefaults; a bad one is EXECUTOR_STORE_MISCONFIGURED. */
export function normalizeS3StoreOptions(options: S3StoreOptions): NormalizedS3StoreOptions {
  const endpoint = options.endpoint;
  if (endpoint !== undefined && !isHttpUrl(endpoint)) {
    throw misconfigured('endpoint', 'an http:// or https:// URL', endpoint);
  }
  return {
    bucket: nonEmptyString('bucket', options.bucket),
    prefix: stringOption('prefix', options.prefix ?? s3StoreDefaults.prefix),
    region: nonEmptyString('region', options.region),
    endpoint,
    forcePathStyle: options.forcePathStyle ?? false,
    credentials: options.credentials,
    client: options.client,
    partSize: integerOption('partSize', options.partSize, s3StoreDefaults.partSize, 5 * mebibyte),
    queueSize: integerOption('queueSize', options.queueSize, s3StoreDefaults.queueSize, 1),
    pageSize: integerOption('pageSize', options.pageSize, s3StoreDefaults.pageSize, 1, 1000),
    maxAttempts: integerOption('maxAttempts', options.maxAttempts, s3StoreDefaults.maxAttempts, 1),
    connectionTimeoutMs: integerOption(
      'connectionTimeoutMs',
      options.connectionTimeoutMs,
      s3StoreDefaults.connectionTimeoutMs,
      1,
    ),
    socketTimeoutMs: integerOption(
      'socketTimeoutMs',
      options.socketTimeoutMs,
      s3StoreDefaults.socketTimeoutMs,
      1,
    ),
    checkTimeoutMs: integerOption(
      'checkTimeoutMs',
      options.checkTimeoutMs,
      s3StoreDefaults.checkTimeoutMs,
      1,
    ),
  };
}

// `localhost:9000` parses too, as a URL of scheme `localhost:`.
function isHttpUrl(text: string): boolean {
  return URL.canParse(text) && /^https?:$/.test(new URL(text).protocol);
}

function stringOption(name: string, value: unknown): string {
  if (typeof value !== 'string') throw misconfigured(name, 'a string', value);
  return value;
}

function nonEmptyString(name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw misconfigured(name, 'a non-empty string', value);
  }
  return value;
}

function integerOption(
  name: string,
  value: number | undefined,
  fallback: number,
  minimum: number,
  maximum = Number.MAX_SAFE_INTEGER,
): number {
  const chosen = value ?? fallback;
  if (!Number.isInteger(chosen) || chosen < minimum || chosen > maximum) {
    const range = maximum === Number.MAX_SAFE_INTEGER ? `≥ ${minimum}` : `${minimum} to ${maximum}`;
    throw misconfigured(name, `an integer ${range}`, value);
  }
  return chosen;
}

function misconfigured(name: string, expected: string, value: unknown) {
  return new StoreMisconfiguredError(
    `S3 store option \`${name}\` must be ${expected}, got ${JSON.stringify(value)}`,
  );
}
