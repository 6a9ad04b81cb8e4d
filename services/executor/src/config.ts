import { limiterDefaults } from '@org/export-limiter';
import Type, { type Static, type TSchema } from 'typebox';
import Value from 'typebox/value';
import { InvalidConfigError } from './errors.js';
import { exportPluginDefaults } from './plugins/export-plugin-defaults.js';

const apiTokenPair = '[A-Za-z0-9._~+/=-]{16,}:[A-Za-z0-9._@-]{1,64}';
const apiTokensPattern = `^${apiTokenPair}(,${apiTokenPair})*$`;

// Their values may hold credentials (tokens, a Redis password).
const secretVariables = new Set([
  'EXPORT_API_TOKENS',
  'REDIS_URL',
  'EXPORT_LINK_SECRET',
  'EXPORT_WEBHOOK_SECRET',
]);
const linkSecret = '[^,\\s]{32,}';
const webhookHost = '(?:[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?';

const s3Variables = [
  'EXPORT_S3_BUCKET',
  'EXPORT_S3_PREFIX',
  'EXPORT_S3_REGION',
  'EXPORT_S3_ENDPOINT',
  'EXPORT_S3_FORCE_PATH_STYLE',
  'EXPORT_S3_PRESIGNED_DOWNLOADS',
] as const;

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Every environment variable the executor reads, with its default; see docs/configuration.md.
 * A variable that sets a plugin or limiter option takes that option's default, never a copy.
 */
export const ConfigSchema = Type.Object({
  HOST: Type.String({
    minLength: 1,
    default: '127.0.0.1',
    description: 'a host name or IP address to listen on',
  }),
  PORT: Type.Integer({
    minimum: 0,
    maximum: 65535,
    default: 4001,
    description: 'an integer from 0 to 65535',
  }),
  EXPORT_DIR: Type.String({
    minLength: 1,
    default: exportPluginDefaults.exportDirectory,
    description: 'a folder path for the export files',
  }),
  EXPORT_MAX_CONCURRENT: Type.Integer({
    minimum: 1,
    maximum: 1000,
    default: limiterDefaults.maxConcurrent,
    description: 'an integer from 1 to 1000',
  }),
  EXPORT_MAX_QUEUE: Type.Integer({
    minimum: 0,
    maximum: 100_000,
    default: limiterDefaults.maxQueue,
    description: 'an integer from 0 to 100000',
  }),
  EXPORT_MAX_PER_USER: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 1000, description: 'an integer from 1 to 1000' }),
  ),
  EXPORT_MAX_QUEUED_PER_USER: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 100_000, description: 'an integer from 0 to 100000' }),
  ),
  EXPORT_MIN_UPLOAD_BYTES_PER_S: Type.Integer({
    minimum: 0,
    maximum: 1_073_741_824,
    default: exportPluginDefaults.minUploadRate.bytesPerSecond,
    description: 'an integer from 0 to 1073741824 (bytes a second; 0 turns the minimum off)',
  }),
  EXPORT_MIN_UPLOAD_GRACE_S: Type.Integer({
    minimum: 0,
    maximum: 86_400,
    default: exportPluginDefaults.minUploadRate.graceSeconds,
    description: 'an integer from 0 to 86400 (seconds)',
  }),
  EXPORT_WORKERS: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 1000,
      description:
        'an integer from 1 to 1000 (worker threads; default the number of cores, at most EXPORT_MAX_CONCURRENT)',
    }),
  ),
  EXPORT_WORKER_MAX_MB: Type.Integer({
    minimum: 32,
    maximum: 65_536,
    default: exportPluginDefaults.workerMaxHeapMb,
    description: 'an integer from 32 to 65536 (megabytes of heap per worker thread)',
  }),
  EXPORT_BODY_LIMIT_MB: Type.Integer({
    minimum: 1,
    maximum: 4096,
    default: 64,
    description: 'an integer from 1 to 4096 (megabytes)',
  }),
  EXPORT_MAX_ROWS: Type.Integer({
    minimum: 1,
    maximum: 1_000_000_000,
    default: exportPluginDefaults.maxRows,
    description: 'an integer from 1 to 1000000000',
  }),
  EXPORT_JOB_TIMEOUT_S: Type.Integer({
    minimum: 1,
    maximum: 86_400,
    default: exportPluginDefaults.exportTimeoutSeconds,
    description: 'an integer from 1 to 86400 (seconds)',
  }),
  EXPORT_REQUEST_TIMEOUT_S: Type.Integer({
    minimum: 1,
    maximum: 86_400,
    default: 300,
    description: 'an integer from 1 to 86400 (seconds)',
  }),
  EXPORT_IDLE_TIMEOUT_S: Type.Integer({
    minimum: 1,
    maximum: 86_400,
    default: 60,
    description: 'an integer from 1 to 86400 (seconds)',
  }),
  EXPORT_SHUTDOWN_TIMEOUT_S: Type.Integer({
    minimum: 0,
    maximum: 3_600,
    default: exportPluginDefaults.shutdownTimeoutSeconds,
    description: 'an integer from 0 to 3600 (seconds)',
  }),
  EXPORT_RETENTION_HOURS: Type.Number({
    exclusiveMinimum: 0,
    maximum: 8_760,
    default: exportPluginDefaults.retentionHours,
    description: 'a number of hours above 0 and at most 8760',
  }),
  EXPORT_MAX_JOBS_PER_USER: Type.Integer({
    minimum: 1,
    maximum: 1_000_000,
    default: exportPluginDefaults.maxJobsPerUser,
    description: 'an integer from 1 to 1000000 (export jobs one user keeps, in any status)',
  }),
  EXPORT_API_TOKENS: Type.Optional(
    Type.String({
      pattern: apiTokensPattern,
      description:
        'a comma-separated list of token:user pairs, each token at least 16 characters of [A-Za-z0-9._~+/=-] and each user 1 to 64 characters of [A-Za-z0-9._@-]',
    }),
  ),
  EXPORT_LINK_SECRET: Type.Optional(
    Type.String({
      pattern: `^${linkSecret}(,${linkSecret})*$`,
      description:
        'a comma-separated list of secrets of at least 32 characters (no spaces or commas); the first signs download links, all verify them',
    }),
  ),
  EXPORT_LINK_TTL_S: Type.Integer({
    minimum: 1,
    maximum: 604_800,
    default: exportPluginDefaults.linkTtlSeconds,
    description: 'an integer from 1 to 604800 (seconds a download link works)',
  }),
  EXPORT_PUBLIC_URL: Type.Optional(
    Type.String({
      pattern: '^https?://[^\\s?#]+$',
      description:
        'an http:// or https:// URL without a query or fragment, as clients reach the executor',
    }),
  ),
  EXPORT_WEBHOOK_HOSTS: Type.Optional(
    Type.String({
      pattern: `^${webhookHost}(,${webhookHost})*$`,
      description:
        'a comma-separated list of host names or addresses, each with a port or not (hooks.example.com,10.0.0.7:8443)',
    }),
  ),
  EXPORT_WEBHOOK_SECRET: Type.Optional(
    Type.String({
      pattern: '^\\S{32,}$',
      description: 'a secret of at least 32 characters, without spaces',
    }),
  ),
  EXPORT_WEBHOOK_MAX_ATTEMPTS: Type.Integer({
    minimum: 1,
    maximum: 100,
    default: exportPluginDefaults.webhookMaxAttempts,
    description: 'an integer from 1 to 100',
  }),
  EXPORT_WEBHOOK_FIRST_RETRY_S: Type.Number({
    exclusiveMinimum: 0,
    maximum: 3600,
    default: exportPluginDefaults.webhookFirstRetrySeconds,
    description: 'a number of seconds above 0 and at most 3600',
  }),
  EXPORT_STORE: Type.Union([Type.Literal('local'), Type.Literal('s3')], {
    default: 'local',
    description: "local (jobs' files in EXPORT_DIR) or s3 (in the bucket EXPORT_S3_BUCKET)",
  }),
  EXPORT_S3_BUCKET: Type.Optional(
    Type.String({
      pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
      description: 'an S3 bucket name (3 to 63 characters of a-z, 0-9, . and -)',
    }),
  ),
  EXPORT_S3_PREFIX: Type.String({
    pattern: "^(?:[A-Za-z0-9!_.*'()-]+/)*$",
    default: '',
    description: 'key segments each ending with / (exports/prod/), or empty',
  }),
  EXPORT_S3_REGION: Type.String({
    pattern: '^[a-z0-9-]{1,64}$',
    default: 'us-east-1',
    description: "the bucket's region (us-east-1)",
  }),
  EXPORT_S3_ENDPOINT: Type.Optional(
    Type.String({
      pattern: '^https?://[^\\s?#]+$',
      description:
        'an http:// or https:// URL of an S3-compatible server (MinIO, Ceph, s3rver), without a query or fragment',
    }),
  ),
  EXPORT_S3_FORCE_PATH_STYLE: Type.Boolean({
    default: false,
    description: 'true or false (true puts the bucket in the path: most S3-compatible servers)',
  }),
  EXPORT_S3_PRESIGNED_DOWNLOADS: Type.Boolean({
    default: false,
    description: 'true or false (true: downloads answer 307 to a presigned GetObject URL)',
  }),
  REDIS_URL: Type.Optional(
    Type.String({
      pattern: '^rediss?://[^\\s]+$',
      description: 'a redis:// or rediss:// URL',
    }),
  ),
  EXPORT_QUEUE_NAME: Type.String({
    pattern: '^[A-Za-z0-9_-]{1,64}$',
    default: 'exports',
    description: 'a queue name of 1 to 64 characters of [A-Za-z0-9_-]',
  }),
  EXPORT_CLUSTER_MAX_CONCURRENT: Type.Integer({
    minimum: 1,
    maximum: 100_000,
    default: 20,
    description: 'an integer from 1 to 100000',
  }),
  EXPORT_CLUSTER_MAX_QUEUE: Type.Integer({
    minimum: 0,
    maximum: 1_000_000,
    default: 500,
    description: 'an integer from 0 to 1000000',
  }),
  EXPORT_CLUSTER_LOCK_S: Type.Integer({
    minimum: 2,
    maximum: 3_600,
    default: 30,
    description: 'an integer from 2 to 3600 (seconds)',
  }),
  LOG_LEVEL: Type.Union(
    logLevels.map((level) => Type.Literal(level)),
    { default: 'info', description: `one of ${logLevels.join(', ')}` },
  ),
});

export type ExecutorConfig = Static<typeof ConfigSchema>;

/**
 * Reads the configuration from the environment once, at boot. An empty variable counts as
 * unset; a bad value fails with EXECUTOR_INVALID_CONFIG naming the variable and what it expects.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ExecutorConfig {
  const properties: Record<string, TSchema & { type?: string; description?: string }> =
    ConfigSchema.properties;
  const given: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(properties)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    given[name] = value;
    values[name] = fromEnvironmentString(schema.type, value);
  }
  const config = Value.Default(ConfigSchema, values);
  const [error] = Value.Errors(ConfigSchema, config);
  if (error === undefined) return Object.freeze(checkPairs(config as ExecutorConfig, given));
  const name = error.instancePath.split('/')[1] ?? '';
  const expected = properties[name]?.description ?? error.message;
  // Never echo a secret back into logs.
  const received = secretVariables.has(name)
    ? 'a value that does not match'
    : JSON.stringify(given[name]);
  throw new InvalidConfigError(`environment variable ${name} must be ${expected}, got ${received}`);
}

/**
 * Webhooks need both where to send and what to sign with, and the S3 store its bucket: one alone
 * is a mistake, not a choice. S3 settings without EXPORT_STORE=s3 would be silently ignored.
 */
function checkPairs(config: ExecutorConfig, given: Record<string, string>): ExecutorConfig {
  if (config.EXPORT_STORE === 's3' && config.EXPORT_S3_BUCKET === undefined) {
    throw new InvalidConfigError(
      "environment variable EXPORT_S3_BUCKET must be set when EXPORT_STORE is s3: it names where jobs' files go",
    );
  }
  if (config.EXPORT_STORE === 'local') {
    const s3Variable = s3Variables.find((name) => given[name] !== undefined);
    if (s3Variable !== undefined) {
      throw new InvalidConfigError(
        `environment variable ${s3Variable} is set but EXPORT_STORE is local: set EXPORT_STORE=s3 to use the bucket, or unset it`,
      );
    }
  }
  const { EXPORT_WEBHOOK_HOSTS: hosts, EXPORT_WEBHOOK_SECRET: secret } = config;
  if (hosts !== undefined && secret === undefined) {
    throw new InvalidConfigError(
      'environment variable EXPORT_WEBHOOK_SECRET must be set when EXPORT_WEBHOOK_HOSTS is: it signs every webhook',
    );
  }
  if (secret !== undefined && hosts === undefined) {
    throw new InvalidConfigError(
      'environment variable EXPORT_WEBHOOK_HOSTS must be set when EXPORT_WEBHOOK_SECRET is: it lists where webhooks may go',
    );
  }
  return config;
}

/** Strict on purpose: "40.5" or "8080abc" stay strings and fail the check instead of rounding. */
function fromEnvironmentString(type: string | undefined, value: string): unknown {
  if (type === 'integer' || type === 'number') {
    return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  }
  if (type === 'boolean') {
    if (value === 'true') return true;
    if (value === 'false') return false;
  }
  return value;
}

/** `secret1,secret2` as the list download links are signed (first) and verified (all) with. */
export function parseLinkSecrets(value: string | undefined): string[] {
  return value ? value.split(',') : [];
}

/** `token1:alice,token2:bob` as a map from token to user; empty when auth is off. */
export function parseApiTokens(value: string | undefined): ReadonlyMap<string, string> {
  const tokens = new Map<string, string>();
  for (const pair of value ? value.split(',') : []) {
    const separator = pair.lastIndexOf(':');
    tokens.set(pair.slice(0, separator), pair.slice(separator + 1));
  }
  return tokens;
}
