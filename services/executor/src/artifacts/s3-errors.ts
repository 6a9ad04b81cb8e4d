import {
  StoreMisconfiguredError,
  StoreObjectMissingError,
  StoreUnavailableError,
} from '../errors.js';

/** What an SDK failure means for the store, whatever the operation. */
export type S3Failure =
  | { kind: 'no-such-bucket' }
  /** No such key, or no such upload. */
  | { kind: 'not-found' }
  | { kind: 'credentials'; reason: string }
  | { kind: 'unreachable'; reason: string }
  | { kind: 'unavailable'; reason: string }
  | { kind: 'other' };

/** The names an operator sets, for the messages that tell which one to fix. */
export interface S3StoreNames {
  bucket: string;
  region: string;
  endpoint: string | undefined;
}

// Node's and the HTTP handler's ways of saying the server could not be reached or went away.
const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);
const credentialCodes = new Set([
  'AccessDenied',
  'Forbidden',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'CredentialsProviderError',
]);
const busyCodes = new Set(['SlowDown', 'ServiceUnavailable', 'InternalError', 'RequestTimeout']);

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  errors?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** Reads an SDK (or Node network) error; `statusMeansNoBucket` for HeadBucket, whose 404 has no body. */
export function classifyS3Error(error: unknown, statusMeansNoBucket = false): S3Failure {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const name = typeof shape.name === 'string' ? shape.name : '';
  const status = shape.$metadata?.httpStatusCode;
  const code = networkCodeOf(shape);
  if (code !== undefined) return { kind: 'unreachable', reason: code };
  if (name === 'TimeoutError') {
    const message = (error as { message?: unknown }).message;
    return {
      kind: 'unreachable',
      reason: typeof message === 'string' ? timeoutReason(message) : 'timed out',
    };
  }
  if (name === 'NoSuchBucket') return { kind: 'no-such-bucket' };
  if (status === 404 && statusMeansNoBucket) return { kind: 'no-such-bucket' };
  if (name === 'NoSuchKey' || status === 404) return { kind: 'not-found' };
  if (credentialCodes.has(name) || status === 403) {
    return { kind: 'credentials', reason: name || 'HTTP 403' };
  }
  if (busyCodes.has(name) || (typeof status === 'number' && status >= 500)) {
    return { kind: 'unavailable', reason: name || `HTTP ${status}` };
  }
  return { kind: 'other' };
}

/** A failure of `operation` on `key` while running: coded, with the SDK's error as its cause. */
export function toStoreError(
  error: unknown,
  names: S3StoreNames,
  operation: string,
  key: string,
): unknown {
  const failure = classifyS3Error(error);
  switch (failure.kind) {
    case 'not-found':
      return withCause(new StoreObjectMissingError(key), error);
    case 'unreachable':
    case 'unavailable':
      return withCause(new StoreUnavailableError(`${operation} ${key}: ${failure.reason}`), error);
    case 'no-such-bucket':
    case 'credentials':
      return misconfiguredError(failure, names, error);
    default:
      return error;
  }
}

/**
 * What check() reports: everything is misconfiguration at boot, named by the variable to fix
 * (an endpoint that is down is as much a boot failure as a wrong one).
 */
export function toCheckError(error: unknown, names: S3StoreNames, headBucket = false): unknown {
  const failure = classifyS3Error(error, headBucket);
  if (failure.kind === 'other' || failure.kind === 'not-found') {
    // A 404 on the probe object itself (or anything unforeseen): keep what S3 said.
    const reason = errorName(error);
    return withCause(
      new StoreMisconfiguredError(
        `EXPORT_S3_BUCKET=${names.bucket}: the probe write failed (${reason})`,
      ),
      error,
    );
  }
  return misconfiguredError(failure, names, error);
}

function misconfiguredError(failure: S3Failure, names: S3StoreNames, cause: unknown) {
  return withCause(new StoreMisconfiguredError(misconfiguredMessage(failure, names)), cause);
}

function misconfiguredMessage(failure: S3Failure, names: S3StoreNames): string {
  switch (failure.kind) {
    case 'no-such-bucket':
      return `EXPORT_S3_BUCKET=${names.bucket}: no such bucket`;
    case 'credentials':
      return `credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_PROFILE or the role the AWS chain found): access denied to EXPORT_S3_BUCKET=${names.bucket} (${failure.reason})`;
    case 'unreachable':
    case 'unavailable':
      return names.endpoint === undefined
        ? `EXPORT_S3_REGION=${names.region}: S3 unreachable (${failure.reason})`
        : `EXPORT_S3_ENDPOINT=${names.endpoint}: unreachable (${failure.reason})`;
    default:
      return `EXPORT_S3_BUCKET=${names.bucket}: unusable`;
  }
}

function networkCodeOf(shape: SdkErrorShape): string | undefined {
  if (typeof shape.code === 'string' && networkCodes.has(shape.code)) return shape.code;
  // Node's connect to several addresses (localhost: ::1 and 127.0.0.1) fails with them all.
  if (Array.isArray(shape.errors)) {
    for (const inner of shape.errors) {
      const code = (inner as SdkErrorShape | undefined)?.code;
      if (typeof code === 'string' && networkCodes.has(code)) return code;
    }
  }
  return undefined;
}

// The HTTP handler's messages are long; what an operator needs is which timeout it was.
function timeoutReason(message: string): string {
  if (message.includes('establish a connection')) return 'connection timed out';
  if (message.includes('inactivity')) return 'no data for too long';
  return message;
}

function errorName(error: unknown): string {
  const name = (error as SdkErrorShape | undefined)?.name;
  return typeof name === 'string' ? name : String(error);
}

function withCause<E extends Error>(error: E, cause: unknown): E {
  return Object.assign(error, { cause });
}
