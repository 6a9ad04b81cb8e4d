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
   * Set (REDIS_URL), this process is one replica of a cluster: jobs go through BullMQ on Redis
   * and every export holds one of the cluster's slots. `exportDirectory` must then be shared.
   */
  cluster?: ClusterOptions;
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
