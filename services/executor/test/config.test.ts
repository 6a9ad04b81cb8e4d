import { describe, expect, it } from 'vitest';
import { loadConfig, parseApiTokens, parseLinkSecrets } from '../src/config.js';

const validTokens = 'aaaaaaaaaaaaaaaa1:alice,bbbbbbbbbbbbbbbb2:bob';
const newSecret = 'n'.repeat(32);
const oldSecret = 'o'.repeat(40);

describe('loadConfig', () => {
  it('needs no environment: every variable has a working default', () => {
    expect(loadConfig({})).toEqual({
      HOST: '127.0.0.1',
      PORT: 4001,
      EXPORT_DIR: './exports',
      EXPORT_MAX_CONCURRENT: 5,
      EXPORT_MAX_QUEUE: 100,
      EXPORT_MIN_UPLOAD_BYTES_PER_S: 1024,
      EXPORT_MIN_UPLOAD_GRACE_S: 10,
      EXPORT_WORKER_MAX_MB: 512,
      EXPORT_BODY_LIMIT_MB: 64,
      EXPORT_MAX_ROWS: 2_000_000,
      EXPORT_JOB_TIMEOUT_S: 600,
      EXPORT_REQUEST_TIMEOUT_S: 300,
      EXPORT_IDLE_TIMEOUT_S: 60,
      EXPORT_SHUTDOWN_TIMEOUT_S: 30,
      EXPORT_RETENTION_HOURS: 24,
      EXPORT_MAX_JOBS_PER_USER: 1000,
      EXPORT_LINK_TTL_S: 3600,
      EXPORT_WEBHOOK_MAX_ATTEMPTS: 8,
      EXPORT_WEBHOOK_FIRST_RETRY_S: 30,
      EXPORT_STORE: 'local',
      EXPORT_S3_PREFIX: '',
      EXPORT_S3_REGION: 'us-east-1',
      EXPORT_S3_FORCE_PATH_STYLE: false,
      EXPORT_S3_PRESIGNED_DOWNLOADS: false,
      EXPORT_QUEUE_NAME: 'exports',
      EXPORT_CLUSTER_MAX_CONCURRENT: 20,
      EXPORT_CLUSTER_MAX_QUEUE: 500,
      EXPORT_CLUSTER_LOCK_S: 30,
      LOG_LEVEL: 'info',
    });
  });

  it('reads every variable from the environment', () => {
    expect(
      loadConfig({
        HOST: '0.0.0.0',
        PORT: '8080',
        EXPORT_DIR: '/var/exports',
        EXPORT_MAX_CONCURRENT: '2',
        EXPORT_MAX_QUEUE: '0',
        EXPORT_MAX_PER_USER: '1',
        EXPORT_MAX_QUEUED_PER_USER: '0',
        EXPORT_MIN_UPLOAD_BYTES_PER_S: '0',
        EXPORT_MIN_UPLOAD_GRACE_S: '30',
        EXPORT_WORKERS: '3',
        EXPORT_WORKER_MAX_MB: '128',
        EXPORT_BODY_LIMIT_MB: '10',
        EXPORT_MAX_ROWS: '1000',
        EXPORT_JOB_TIMEOUT_S: '5',
        EXPORT_REQUEST_TIMEOUT_S: '120',
        EXPORT_IDLE_TIMEOUT_S: '15',
        EXPORT_SHUTDOWN_TIMEOUT_S: '0',
        EXPORT_RETENTION_HOURS: '0.5',
        EXPORT_MAX_JOBS_PER_USER: '50',
        EXPORT_API_TOKENS: validTokens,
        EXPORT_LINK_SECRET: `${newSecret},${oldSecret}`,
        EXPORT_LINK_TTL_S: '600',
        EXPORT_PUBLIC_URL: 'https://exports.example.com/api',
        EXPORT_WEBHOOK_HOSTS: 'hooks.example.com,10.0.0.7:8443,[::1]:9000',
        EXPORT_WEBHOOK_SECRET: oldSecret,
        EXPORT_WEBHOOK_MAX_ATTEMPTS: '3',
        EXPORT_WEBHOOK_FIRST_RETRY_S: '0.5',
        EXPORT_STORE: 's3',
        EXPORT_S3_BUCKET: 'trading-exports.eu',
        EXPORT_S3_PREFIX: 'exports/prod/',
        EXPORT_S3_REGION: 'eu-central-1',
        EXPORT_S3_ENDPOINT: 'http://minio.internal:9000',
        EXPORT_S3_FORCE_PATH_STYLE: 'true',
        EXPORT_S3_PRESIGNED_DOWNLOADS: 'true',
        REDIS_URL: 'redis://:secret@redis.internal:6380/2',
        EXPORT_QUEUE_NAME: 'exports-eu_1',
        EXPORT_CLUSTER_MAX_CONCURRENT: '12',
        EXPORT_CLUSTER_MAX_QUEUE: '0',
        EXPORT_CLUSTER_LOCK_S: '10',
        LOG_LEVEL: 'debug',
      }),
    ).toEqual({
      HOST: '0.0.0.0',
      PORT: 8080,
      EXPORT_DIR: '/var/exports',
      EXPORT_MAX_CONCURRENT: 2,
      EXPORT_MAX_QUEUE: 0,
      EXPORT_MAX_PER_USER: 1,
      EXPORT_MAX_QUEUED_PER_USER: 0,
      EXPORT_MIN_UPLOAD_BYTES_PER_S: 0,
      EXPORT_MIN_UPLOAD_GRACE_S: 30,
      EXPORT_WORKERS: 3,
      EXPORT_WORKER_MAX_MB: 128,
      EXPORT_BODY_LIMIT_MB: 10,
      EXPORT_MAX_ROWS: 1000,
      EXPORT_JOB_TIMEOUT_S: 5,
      EXPORT_REQUEST_TIMEOUT_S: 120,
      EXPORT_IDLE_TIMEOUT_S: 15,
      EXPORT_SHUTDOWN_TIMEOUT_S: 0,
      EXPORT_RETENTION_HOURS: 0.5,
      EXPORT_MAX_JOBS_PER_USER: 50,
      EXPORT_API_TOKENS: validTokens,
      EXPORT_LINK_SECRET: `${newSecret},${oldSecret}`,
      EXPORT_LINK_TTL_S: 600,
      EXPORT_PUBLIC_URL: 'https://exports.example.com/api',
      EXPORT_WEBHOOK_HOSTS: 'hooks.example.com,10.0.0.7:8443,[::1]:9000',
      EXPORT_WEBHOOK_SECRET: oldSecret,
      EXPORT_WEBHOOK_MAX_ATTEMPTS: 3,
      EXPORT_WEBHOOK_FIRST_RETRY_S: 0.5,
      EXPORT_STORE: 's3',
      EXPORT_S3_BUCKET: 'trading-exports.eu',
      EXPORT_S3_PREFIX: 'exports/prod/',
      EXPORT_S3_REGION: 'eu-central-1',
      EXPORT_S3_ENDPOINT: 'http://minio.internal:9000',
      EXPORT_S3_FORCE_PATH_STYLE: true,
      EXPORT_S3_PRESIGNED_DOWNLOADS: true,
      REDIS_URL: 'redis://:secret@redis.internal:6380/2',
      EXPORT_QUEUE_NAME: 'exports-eu_1',
      EXPORT_CLUSTER_MAX_CONCURRENT: 12,
      EXPORT_CLUSTER_MAX_QUEUE: 0,
      EXPORT_CLUSTER_LOCK_S: 10,
      LOG_LEVEL: 'debug',
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', EXPORT_API_TOKENS: '' })).toEqual(loadConfig({}));
  });

  it('ignores variables it does not know', () => {
    expect(loadConfig({ PATH: '/bin', NODE_ENV: 'production' })).toEqual(loadConfig({}));
  });

  it.each([
    [{ PORT: 'abc' }, 'environment variable PORT must be an integer from 0 to 65535, got "abc"'],
    [
      { PORT: '70000' },
      'environment variable PORT must be an integer from 0 to 65535, got "70000"',
    ],
    [{ PORT: '40.5' }, 'environment variable PORT must be an integer from 0 to 65535, got "40.5"'],
    [
      { EXPORT_MAX_CONCURRENT: '0' },
      'environment variable EXPORT_MAX_CONCURRENT must be an integer from 1 to 1000, got "0"',
    ],
    [
      { EXPORT_MAX_QUEUE: '-1' },
      'environment variable EXPORT_MAX_QUEUE must be an integer from 0 to 100000, got "-1"',
    ],
    [
      { EXPORT_MAX_PER_USER: 'many' },
      'environment variable EXPORT_MAX_PER_USER must be an integer from 1 to 1000, got "many"',
    ],
    [
      { EXPORT_WORKERS: '0' },
      'environment variable EXPORT_WORKERS must be an integer from 1 to 1000 (worker threads; default the number of cores, at most EXPORT_MAX_CONCURRENT), got "0"',
    ],
    [
      { EXPORT_WORKER_MAX_MB: '16' },
      'environment variable EXPORT_WORKER_MAX_MB must be an integer from 32 to 65536 (megabytes of heap per worker thread), got "16"',
    ],
    [
      { EXPORT_BODY_LIMIT_MB: '1e3' },
      'environment variable EXPORT_BODY_LIMIT_MB must be an integer from 1 to 4096 (megabytes), got "1e3"',
    ],
    [
      { EXPORT_JOB_TIMEOUT_S: '0' },
      'environment variable EXPORT_JOB_TIMEOUT_S must be an integer from 1 to 86400 (seconds), got "0"',
    ],
    [
      { EXPORT_REQUEST_TIMEOUT_S: '0' },
      'environment variable EXPORT_REQUEST_TIMEOUT_S must be an integer from 1 to 86400 (seconds), got "0"',
    ],
    [
      { EXPORT_REQUEST_TIMEOUT_S: '2.5' },
      'environment variable EXPORT_REQUEST_TIMEOUT_S must be an integer from 1 to 86400 (seconds), got "2.5"',
    ],
    [
      { EXPORT_IDLE_TIMEOUT_S: '86401' },
      'environment variable EXPORT_IDLE_TIMEOUT_S must be an integer from 1 to 86400 (seconds), got "86401"',
    ],
    [
      { EXPORT_IDLE_TIMEOUT_S: 'never' },
      'environment variable EXPORT_IDLE_TIMEOUT_S must be an integer from 1 to 86400 (seconds), got "never"',
    ],
    [
      { EXPORT_QUEUE_NAME: 'exports:eu' },
      'environment variable EXPORT_QUEUE_NAME must be a queue name of 1 to 64 characters of [A-Za-z0-9_-], got "exports:eu"',
    ],
    [
      { EXPORT_CLUSTER_MAX_CONCURRENT: '0' },
      'environment variable EXPORT_CLUSTER_MAX_CONCURRENT must be an integer from 1 to 100000, got "0"',
    ],
    [
      { EXPORT_CLUSTER_MAX_QUEUE: '-1' },
      'environment variable EXPORT_CLUSTER_MAX_QUEUE must be an integer from 0 to 1000000, got "-1"',
    ],
    [
      { EXPORT_CLUSTER_LOCK_S: '1' },
      'environment variable EXPORT_CLUSTER_LOCK_S must be an integer from 2 to 3600 (seconds), got "1"',
    ],
    [
      { EXPORT_LINK_TTL_S: '0' },
      'environment variable EXPORT_LINK_TTL_S must be an integer from 1 to 604800 (seconds a download link works), got "0"',
    ],
    [
      { EXPORT_PUBLIC_URL: 'exports.example.com' },
      'environment variable EXPORT_PUBLIC_URL must be an http:// or https:// URL without a query or fragment, as clients reach the executor, got "exports.example.com"',
    ],
    [
      { EXPORT_PUBLIC_URL: 'https://exports.example.com/?a=1' },
      'environment variable EXPORT_PUBLIC_URL must be an http:// or https:// URL without a query or fragment, as clients reach the executor, got "https://exports.example.com/?a=1"',
    ],
    [
      { EXPORT_WEBHOOK_HOSTS: 'https://hooks.example.com', EXPORT_WEBHOOK_SECRET: oldSecret },
      'environment variable EXPORT_WEBHOOK_HOSTS must be a comma-separated list of host names or addresses, each with a port or not (hooks.example.com,10.0.0.7:8443), got "https://hooks.example.com"',
    ],
    [
      { EXPORT_WEBHOOK_HOSTS: 'hooks.example.com' },
      'environment variable EXPORT_WEBHOOK_SECRET must be set when EXPORT_WEBHOOK_HOSTS is: it signs every webhook',
    ],
    [
      { EXPORT_WEBHOOK_SECRET: oldSecret },
      'environment variable EXPORT_WEBHOOK_HOSTS must be set when EXPORT_WEBHOOK_SECRET is: it lists where webhooks may go',
    ],
    [
      { EXPORT_WEBHOOK_MAX_ATTEMPTS: '0' },
      'environment variable EXPORT_WEBHOOK_MAX_ATTEMPTS must be an integer from 1 to 100, got "0"',
    ],
    [
      { EXPORT_STORE: 'gcs' },
      'environment variable EXPORT_STORE must be local (jobs\' files in EXPORT_DIR) or s3 (in the bucket EXPORT_S3_BUCKET), got "gcs"',
    ],
    [
      { EXPORT_STORE: 's3' },
      "environment variable EXPORT_S3_BUCKET must be set when EXPORT_STORE is s3: it names where jobs' files go",
    ],
    [
      { EXPORT_S3_BUCKET: 'exports' },
      'environment variable EXPORT_S3_BUCKET is set but EXPORT_STORE is local: set EXPORT_STORE=s3 to use the bucket, or unset it',
    ],
    [
      { EXPORT_STORE: 's3', EXPORT_S3_BUCKET: 'Exports_2026' },
      'environment variable EXPORT_S3_BUCKET must be an S3 bucket name (3 to 63 characters of a-z, 0-9, . and -), got "Exports_2026"',
    ],
    [
      { EXPORT_STORE: 's3', EXPORT_S3_BUCKET: 'exports', EXPORT_S3_PREFIX: 'exports' },
      'environment variable EXPORT_S3_PREFIX must be key segments each ending with / (exports/prod/), or empty, got "exports"',
    ],
    [
      { EXPORT_STORE: 's3', EXPORT_S3_BUCKET: 'exports', EXPORT_S3_ENDPOINT: 'minio:9000' },
      'environment variable EXPORT_S3_ENDPOINT must be an http:// or https:// URL of an S3-compatible server (MinIO, Ceph, s3rver), without a query or fragment, got "minio:9000"',
    ],
    [
      { EXPORT_STORE: 's3', EXPORT_S3_BUCKET: 'exports', EXPORT_S3_FORCE_PATH_STYLE: 'yes' },
      'environment variable EXPORT_S3_FORCE_PATH_STYLE must be true or false (true puts the bucket in the path: most S3-compatible servers), got "yes"',
    ],
    [
      { LOG_LEVEL: 'loud' },
      'environment variable LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
    ],
  ])('rejects %j with EXECUTOR_INVALID_CONFIG naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrowError(
      expect.objectContaining({ code: 'EXECUTOR_INVALID_CONFIG', message }),
    );
  });

  it.each([
    'short:alice',
    'aaaaaaaaaaaaaaaa1',
    'aaaaaaaaaaaaaaaa1:al ice',
    `${'a'.repeat(16)}:alice,`,
  ])('rejects EXPORT_API_TOKENS %j without echoing it', (tokens) => {
    let message = '';
    try {
      loadConfig({ EXPORT_API_TOKENS: tokens });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(
      /^environment variable EXPORT_API_TOKENS must be a comma-separated list of token:user pairs/,
    );
    expect(message).not.toContain(tokens);
  });

  it.each(['localhost:6379', 'http://redis:6379', 'redis://:pa ss@redis:6379'])(
    'rejects REDIS_URL %j without echoing it (it may hold a password)',
    (url) => {
      let message = '';
      try {
        loadConfig({ REDIS_URL: url });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toBe(
        'environment variable REDIS_URL must be a redis:// or rediss:// URL, got a value that does not match',
      );
    },
  );

  it.each([
    'too-short-for-an-hmac-key',
    `${'a'.repeat(32)},short`,
    `${'a'.repeat(32)},`,
    `${'a'.repeat(31)} b`,
  ])('rejects EXPORT_LINK_SECRET %j without echoing it', (secret) => {
    let message = '';
    try {
      loadConfig({ EXPORT_LINK_SECRET: secret });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      'environment variable EXPORT_LINK_SECRET must be a comma-separated list of secrets of at least 32 characters (no spaces or commas); the first signs download links, all verify them, got a value that does not match',
    );
  });

  it('rejects a short EXPORT_WEBHOOK_SECRET without echoing it', () => {
    expect(() =>
      loadConfig({ EXPORT_WEBHOOK_HOSTS: 'hooks.example.com', EXPORT_WEBHOOK_SECRET: 'short' }),
    ).toThrowError(
      'environment variable EXPORT_WEBHOOK_SECRET must be a secret of at least 32 characters, without spaces, got a value that does not match',
    );
  });
});

describe('parseLinkSecrets', () => {
  it('lists the secrets in order: the first signs', () => {
    expect(parseLinkSecrets(`${newSecret},${oldSecret}`)).toEqual([newSecret, oldSecret]);
    expect(parseLinkSecrets(undefined)).toEqual([]);
  });
});

describe('parseApiTokens', () => {
  it('maps each token to its user', () => {
    expect(parseApiTokens(validTokens)).toEqual(
      new Map([
        ['aaaaaaaaaaaaaaaa1', 'alice'],
        ['bbbbbbbbbbbbbbbb2', 'bob'],
      ]),
    );
  });

  it('is empty when no tokens are set', () => {
    expect(parseApiTokens(undefined).size).toBe(0);
  });
});
