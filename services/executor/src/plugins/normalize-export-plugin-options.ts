import { availableParallelism } from 'node:os';
import type { ExportPool } from '@org/export-core';
import { type LimiterOptions, normalizeLimiterOptions } from '@org/export-limiter';
import type { Registry } from 'prom-client';
import type { ClusterOptions } from '../cluster/join-cluster.js';
import { InvalidPluginOptionError } from '../errors.js';
import type { MinimumUploadRate } from '../exports/upload-rate-guard.js';
import { createLifecycle, type ExecutorLifecycle } from '../lifecycle.js';
import { exportPluginDefaults } from './export-plugin-defaults.js';

/** What a caller passes to the export plugin; every default is in export-plugin-defaults.ts. */
export interface ExportPluginOptions {
  /** The registry the export metrics live on, and that `/metrics` exposes. */
  registry: Registry;
  /** Where /export/run writes its files; created if missing. Default `./exports`. */
  exportDirectory?: string;
  /** Checked by the limiter itself (LIMITER_INVALID_OPTION). */
  limiter?: LimiterOptions;
  /** Records one export may have. Default 2,000,000. */
  maxRows?: number;
  /** Longest NDJSON line accepted, in bytes. Default 1 MiB. */
  maxLineBytes?: number;
  /** Seconds one export may take. Default 600. */
  exportTimeoutSeconds?: number;
  /**
   * The pace an /export/stream upload must keep while its export holds a slot. Default 1024
   * bytes a second past a 10-second grace; `bytesPerSecond: 0` turns it off.
   */
  minUploadRate?: MinimumUploadRate;
  /** How long closing waits for running exports before aborting them. Default 30. */
  shutdownTimeoutSeconds?: number;
  /** Finished jobs and /export/run files older than this are deleted. Default 24. */
  retentionHours?: number;
  /** Export jobs one user keeps, in any status, before submitting more is refused (429). Default 1000. */
  maxJobsPerUser?: number;
  /** How often to look for them. Default: a quarter of the retention, at most 10 minutes. */
  sweepIntervalMs?: number;
  /** Bearer token → user. Empty or absent: no auth. */
  apiTokens?: ReadonlyMap<string, string>;
  /**
   * The worker threads exports run on: `size` (default: the cores, at most the limiter's
   * `maxConcurrent`) and `maxHeapMb` each (default 512). Or a pool of the caller's, which the caller closes.
   */
  workers?: { size?: number; maxHeapMb?: number } | { pool: ExportPool };
  /** Tells the routes to refuse new exports while the process drains. */
  lifecycle?: ExecutorLifecycle;
  /**
   * Signs a done job's `downloadUrl`, a link that needs no bearer token. Absent: no links.
   * `secrets`: the first signs, all verify (rotation), each at least 32 characters.
   * `ttlSeconds`: how long a link works, default 3600. `publicUrl`: makes links absolute.
   */
  downloadLinks?: DownloadLinksOption;
  /**
   * Lets a job's submission name a `callbackUrl`, POSTed the job once it ends, signed under
   * `secret`. Absent: a callbackUrl is refused with a 400.
   */
  webhooks?: WebhooksOption;
  /**
   * Set (REDIS_URL), this process is one replica of a cluster: jobs go through BullMQ on Redis
   * and every export holds one of the cluster's slots. `exportDirectory` must then be shared,
   * unless `s3` keeps the jobs' files.
   */
  cluster?: ClusterOptions;
  /**
   * Keeps jobs' finished files (and, in a cluster, their inputs and manifests) in an
   * S3-compatible bucket instead of `exportDirectory`. Checked when the plugin registers.
   */
  s3?: S3StoreOption;
}

export interface S3StoreOption {
  bucket: string;
  /** Prepended to every key: segments each ending with `/` (`exports/prod/`); default none. */
  prefix?: string;
  region: string;
  /** For S3-compatible servers (MinIO, Ceph, s3rver): their URL. */
  endpoint?: string;
  /** Bucket in the path, not the host name: what most S3-compatible servers need. */
  forcePathStyle?: boolean;
  /** Downloads answer 307 to a presigned GetObject URL rather than pass the bytes on. */
  presignedDownloads?: boolean;
  /** Credentials for tests; otherwise the AWS SDK's default chain (AWS_ACCESS_KEY_ID, …). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export interface WebhooksOption {
  /** The hosts a callbackUrl may name: `host` (any port) or `host:port`. */
  hosts: readonly string[];
  /** Signs every delivery (Export-Signature); at least 32 characters. */
  secret: string;
  /** Attempts of one delivery, default 8. */
  maxAttempts?: number;
  /** The first wait between two attempts, doubled for each after; default 30 s. */
  firstRetryMs?: number;
  /** Default 5 s. */
  connectTimeoutMs?: number;
  /** From the request sent to the answer read; default 10 s. */
  responseTimeoutMs?: number;
  /** How often due deliveries are looked for; default 1 s. */
  pollMs?: number;
}

export interface DownloadLinksOption {
  secrets: readonly string[];
  ttlSeconds?: number;
  publicUrl?: string;
}

/** What the plugin uses: every option resolved and checked. */
export interface NormalizedExportPluginOptions {
  readonly registry: Registry;
  readonly exportDirectory: string;
  readonly limiter: LimiterOptions;
  readonly maxRows: number;
  readonly maxLineBytes: number;
  readonly exportTimeoutSeconds: number;
  readonly minUploadRate: Readonly<MinimumUploadRate>;
  readonly shutdownTimeoutSeconds: number;
  readonly retentionHours: number;
  readonly maxJobsPerUser: number;
  readonly sweepIntervalMs: number;
  readonly apiTokens: ReadonlyMap<string, string>;
  /** A pool of the caller's, or the size and heap cap of the one the plugin creates and closes. */
  readonly workers:
    | { readonly pool: ExportPool }
    | { readonly size: number; readonly maxHeapMb: number };
  readonly lifecycle: ExecutorLifecycle;
  readonly cluster: ClusterOptions | undefined;
  readonly s3: Readonly<S3StoreOption> | undefined;
  readonly webhooks: Readonly<Required<WebhooksOption>> | undefined;
  readonly downloadLinks:
    | {
        readonly secrets: readonly string[];
        readonly ttlSeconds: number;
        readonly publicUrl: string | undefined;
      }
    | undefined;
}

// setInterval's longest delay: a longer one fires at once, over and over.
const maxTimerDelayMs = 2_147_483_647;

/**
 * Resolves every option against its default and checks it, before the plugin opens anything: a
 * bad one fails the registration with EXECUTOR_INVALID_OPTION naming it.
 */
export function normalizeExportPluginOptions(
  options: ExportPluginOptions,
): NormalizedExportPluginOptions {
  if (options === null || typeof options !== 'object') {
    throw invalid(`options must be an object, got ${received(options)}`);
  }
  const defaults = exportPluginDefaults;
  const limiter = options.limiter ?? {};
  // The limiter's own check, early: its maxConcurrent also caps the worker threads.
  const { maxConcurrent } = normalizeLimiterOptions(limiter);
  const retentionHours = numberAbove(
    'retentionHours',
    options.retentionHours ?? defaults.retentionHours,
    0,
  );
  const defaultSweepIntervalMs = Math.min(
    (retentionHours * 3_600_000) / 4,
    defaults.maxSweepIntervalMs,
  );
  return Object.freeze({
    registry: registryOf(options.registry),
    exportDirectory: folderOf(options.exportDirectory ?? defaults.exportDirectory),
    limiter,
    maxRows: integerAtLeast('maxRows', options.maxRows ?? defaults.maxRows, 1),
    maxLineBytes: integerAtLeast('maxLineBytes', options.maxLineBytes ?? defaults.maxLineBytes, 1),
    exportTimeoutSeconds: integerAtLeast(
      'exportTimeoutSeconds',
      options.exportTimeoutSeconds ?? defaults.exportTimeoutSeconds,
      1,
    ),
    minUploadRate: minimumUploadRateOf(options.minUploadRate ?? defaults.minUploadRate),
    shutdownTimeoutSeconds: integerAtLeast(
      'shutdownTimeoutSeconds',
      options.shutdownTimeoutSeconds ?? defaults.shutdownTimeoutSeconds,
      0,
    ),
    retentionHours,
    maxJobsPerUser: integerAtLeast(
      'maxJobsPerUser',
      options.maxJobsPerUser ?? defaults.maxJobsPerUser,
      1,
    ),
    sweepIntervalMs:
      options.sweepIntervalMs === undefined
        ? defaultSweepIntervalMs
        : integerFromTo('sweepIntervalMs', options.sweepIntervalMs, 1, maxTimerDelayMs),
    apiTokens: apiTokensOf(options.apiTokens ?? new Map<string, string>()),
    workers: workersOf(options.workers ?? {}, maxConcurrent),
    lifecycle: options.lifecycle ?? createLifecycle(),
    cluster: options.cluster === undefined ? undefined : clusterOptionsOf(options.cluster),
    s3: options.s3 === undefined ? undefined : s3OptionsOf(options.s3),
    downloadLinks:
      options.downloadLinks === undefined ? undefined : downloadLinksOf(options.downloadLinks),
    webhooks: options.webhooks === undefined ? undefined : webhooksOf(options.webhooks),
  });
}

const bucketName = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const keyPrefix = /^(?:[A-Za-z0-9!_.*'()-]+\/)*$/;

function s3OptionsOf(value: S3StoreOption): Readonly<S3StoreOption> {
  if (value === null || typeof value !== 'object') {
    throw invalid(`option \`s3\` must be an object, got ${received(value)}`);
  }
  if (typeof value.bucket !== 'string' || !bucketName.test(value.bucket)) {
    throw invalid(
      `option \`s3.bucket\` must be an S3 bucket name (3 to 63 characters of a-z, 0-9, . and -), got ${received(value.bucket)}`,
    );
  }
  const prefix = value.prefix ?? '';
  if (typeof prefix !== 'string' || !keyPrefix.test(prefix)) {
    throw invalid(
      `option \`s3.prefix\` must be key segments each ending with / (exports/prod/), got ${received(value.prefix)}`,
    );
  }
  if (typeof value.region !== 'string' || !/^[a-z0-9-]{1,64}$/.test(value.region)) {
    throw invalid(
      `option \`s3.region\` must be a region name (us-east-1), got ${received(value.region)}`,
    );
  }
  if (value.endpoint !== undefined && !isHttpUrl(value.endpoint)) {
    throw invalid(
      `option \`s3.endpoint\` must be an http(s) URL without a query or fragment, got ${received(value.endpoint)}`,
    );
  }
  for (const name of ['forcePathStyle', 'presignedDownloads'] as const) {
    if (value[name] !== undefined && typeof value[name] !== 'boolean') {
      throw invalid(`option \`s3.${name}\` must be a boolean, got ${received(value[name])}`);
    }
  }
  return Object.freeze({
    bucket: value.bucket,
    prefix,
    region: value.region,
    ...(value.endpoint === undefined ? {} : { endpoint: value.endpoint }),
    forcePathStyle: value.forcePathStyle ?? false,
    presignedDownloads: value.presignedDownloads ?? false,
    ...(value.credentials === undefined ? {} : { credentials: value.credentials }),
  });
}

function registryOf(value: unknown): Registry {
  if (typeof (value as Partial<Registry> | undefined)?.registerMetric !== 'function') {
    throw invalid(`option \`registry\` must be a prom-client Registry, got ${received(value)}`);
  }
  return value as Registry;
}

function folderOf(value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw invalid(`option \`exportDirectory\` must be a folder path, got ${received(value)}`);
  }
  return value;
}

function minimumUploadRateOf(value: MinimumUploadRate): Readonly<MinimumUploadRate> {
  if (value === null || typeof value !== 'object') {
    throw invalid(`option \`minUploadRate\` must be an object, got ${received(value)}`);
  }
  return Object.freeze({
    bytesPerSecond: integerAtLeast('minUploadRate.bytesPerSecond', value.bytesPerSecond, 0),
    graceSeconds: numberAtLeast('minUploadRate.graceSeconds', value.graceSeconds, 0),
  });
}

function apiTokensOf(value: unknown): ReadonlyMap<string, string> {
  if (!(value instanceof Map)) {
    throw invalid(`option \`apiTokens\` must be a Map of token to user, got ${received(value)}`);
  }
  return value;
}

/** EXPORT_WORKERS defaults to the cores, and more workers than export slots would sit idle. */
function workersOf(
  value: NonNullable<ExportPluginOptions['workers']>,
  maxConcurrent: number,
): NormalizedExportPluginOptions['workers'] {
  if (value === null || typeof value !== 'object') {
    throw invalid(`option \`workers\` must be an object, got ${received(value)}`);
  }
  if ('pool' in value) return Object.freeze({ pool: value.pool });
  const size = integerAtLeast('workers.size', value.size ?? availableParallelism(), 1);
  return Object.freeze({
    size: Math.min(size, maxConcurrent),
    // The pool checks its own finer bounds when it starts.
    maxHeapMb: integerAtLeast(
      'workers.maxHeapMb',
      value.maxHeapMb ?? exportPluginDefaults.workerMaxHeapMb,
      1,
    ),
  });
}

function clusterOptionsOf(value: ClusterOptions): ClusterOptions {
  if (value === null || typeof value !== 'object') {
    throw invalid(`option \`cluster\` must be an object, got ${received(value)}`);
  }
  for (const name of ['redisUrl', 'queueName'] as const) {
    if (typeof value[name] !== 'string' || value[name] === '') {
      throw invalid(
        `option \`cluster.${name}\` must be a non-empty string, got ${received(value[name])}`,
      );
    }
  }
  return Object.freeze({
    redisUrl: value.redisUrl,
    queueName: value.queueName,
    maxConcurrent: integerAtLeast('cluster.maxConcurrent', value.maxConcurrent, 1),
    maxQueue: integerAtLeast('cluster.maxQueue', value.maxQueue, 0),
    lockMs: integerAtLeast('cluster.lockMs', value.lockMs, 1),
  });
}

// An HMAC key shorter than its hash's block is padded, not weakened; 32 characters is what
// `openssl rand -hex 16` gives, and rules out a password-like word.
const minSecretLength = 32;
// Seven days, as S3's presigned URLs: a link is a credential, kept short-lived.
const maxLinkTtlSeconds = 604_800;

function downloadLinksOf(
  value: DownloadLinksOption,
): NormalizedExportPluginOptions['downloadLinks'] {
  if (value === null || typeof value !== 'object') {
    throw invalid(`option \`downloadLinks\` must be an object, got ${received(value)}`);
  }
  const { secrets, publicUrl } = value;
  if (!Array.isArray(secrets) || secrets.length === 0) {
    throw invalid(
      `option \`downloadLinks.secrets\` must be a non-empty array of strings, got ${Array.isArray(secrets) ? 'an empty array' : received(secrets)}`,
    );
  }
  secrets.forEach((secret: unknown, index) => {
    if (typeof secret !== 'string' || secret.length < minSecretLength) {
      // Never the secret itself: options may be logged.
      throw invalid(
        `option \`downloadLinks.secrets[${index}]\` must be a string of at least ${minSecretLength} characters`,
      );
    }
  });
  if (publicUrl !== undefined && !isHttpUrl(publicUrl)) {
    throw invalid(
      `option \`downloadLinks.publicUrl\` must be an http(s) URL without a query or fragment, got ${received(publicUrl)}`,
    );
  }
  return Object.freeze({
    secrets: Object.freeze([...secrets]),
    ttlSeconds: integerFromTo(
      'downloadLinks.ttlSeconds',
      value.ttlSeconds ?? exportPluginDefaults.linkTtlSeconds,
      1,
      maxLinkTtlSeconds,
    ),
    publicUrl,
  });
}

const hostPattern = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$/;

function webhooksOf(value: WebhooksOption): Readonly<Required<WebhooksOption>> {
  if (value === null || typeof value !== 'object') {
    throw invalid(`option \`webhooks\` must be an object, got ${received(value)}`);
  }
  const { hosts, secret } = value;
  if (!Array.isArray(hosts) || hosts.length === 0) {
    throw invalid(
      `option \`webhooks.hosts\` must be a non-empty array of host names, got ${Array.isArray(hosts) ? 'an empty array' : received(hosts)}`,
    );
  }
  hosts.forEach((host: unknown, index) => {
    if (typeof host !== 'string' || !hostPattern.test(host)) {
      throw invalid(
        `option \`webhooks.hosts[${index}]\` must be a host name or address, with a port or not, got ${received(host)}`,
      );
    }
  });
  if (typeof secret !== 'string' || secret.length < minSecretLength) {
    throw invalid(
      `option \`webhooks.secret\` must be a string of at least ${minSecretLength} characters`,
    );
  }
  const defaults = exportPluginDefaults;
  return Object.freeze({
    hosts: Object.freeze([...hosts]),
    secret,
    maxAttempts: integerFromTo(
      'webhooks.maxAttempts',
      value.maxAttempts ?? defaults.webhookMaxAttempts,
      1,
      100,
    ),
    firstRetryMs: integerFromTo(
      'webhooks.firstRetryMs',
      value.firstRetryMs ?? defaults.webhookFirstRetrySeconds * 1000,
      1,
      maxTimerDelayMs,
    ),
    connectTimeoutMs: integerFromTo(
      'webhooks.connectTimeoutMs',
      value.connectTimeoutMs ?? defaults.webhookConnectTimeoutMs,
      1,
      600_000,
    ),
    responseTimeoutMs: integerFromTo(
      'webhooks.responseTimeoutMs',
      value.responseTimeoutMs ?? defaults.webhookResponseTimeoutMs,
      1,
      600_000,
    ),
    pollMs: integerFromTo('webhooks.pollMs', value.pollMs ?? defaults.webhookPollMs, 1, 600_000),
  });
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string' || !URL.canParse(value)) return false;
  const url = new URL(value);
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.search === '' &&
    url.hash === '' &&
    !value.includes('?') &&
    !value.includes('#')
  );
}

function integerAtLeast(name: string, value: unknown, minimum: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
    throw invalid(`option \`${name}\` must be an integer >= ${minimum}, got ${received(value)}`);
  }
  return value;
}

function integerFromTo(name: string, value: unknown, minimum: number, maximum: number): number {
  if (
    typeof value !== 'number' ||
    !Number.isSafeInteger(value) ||
    value < minimum ||
    value > maximum
  ) {
    throw invalid(
      `option \`${name}\` must be an integer from ${minimum} to ${maximum}, got ${received(value)}`,
    );
  }
  return value;
}

function numberAbove(name: string, value: unknown, bound: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= bound) {
    throw invalid(`option \`${name}\` must be a number above ${bound}, got ${received(value)}`);
  }
  return value;
}

function numberAtLeast(name: string, value: unknown, minimum: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < minimum) {
    throw invalid(`option \`${name}\` must be a number >= ${minimum}, got ${received(value)}`);
  }
  return value;
}

function received(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function invalid(message: string): Error {
  return new InvalidPluginOptionError(message);
}
