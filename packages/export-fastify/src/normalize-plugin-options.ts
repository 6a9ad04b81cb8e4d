import { defaultMaxRecordDepth } from '@org/export-core';
import type { Limiter } from '@org/export-limiter';
import type { ExportMetrics } from '@org/export-metrics';
import type { FastifyRequest } from 'fastify';
import { describeOption } from './describe-option.js';
import { ExportFastifyOptionError } from './errors.js';

/** What the plugin is registered with. */
export interface FastifyExportOptions {
  /**
   * An `@org/export-limiter` limiter every `reply.export` runs through: a full queue is a 429
   * with Retry-After, a client that leaves while queued frees its place. Default: none.
   */
  limiter?: Pick<Limiter, 'run'>;
  /** The limiter key of a request's export (its user, for `maxPerKey`). Default: no key. */
  limiterKey?: (request: FastifyRequest) => string | undefined;
  /**
   * `@org/export-metrics` families every `reply.export` is observed by (`observeExport`):
   * refusals count as `rejected`, a client that left as `cancelled`. Default: none.
   */
  metrics?: ExportMetrics;
  /** How `request.ndjsonRecords()` reads an upload. */
  ndjson?: NdjsonRecordsOptions;
}

export interface NdjsonRecordsOptions {
  /** The longest line accepted, in bytes (EXPORT_LINE_TOO_LONG past it). Default 1 MiB. */
  maxLineBytes?: number;
  /** The deepest a line's record may nest (`{}` is 1), or Infinity. Default 64. */
  maxDepth?: number;
}

/** The options the plugin runs with, defaults applied. */
export interface NormalizedFastifyExportOptions {
  readonly limiter: Pick<Limiter, 'run'> | undefined;
  readonly limiterKey: ((request: FastifyRequest) => string | undefined) | undefined;
  readonly metrics: ExportMetrics | undefined;
  readonly ndjson: Readonly<Required<NdjsonRecordsOptions>>;
}

export const fastifyExportDefaults = Object.freeze({
  ndjson: Object.freeze({ maxLineBytes: 1024 * 1024, maxDepth: defaultMaxRecordDepth }),
});

/** Checks the plugin's options once, at registration; a bad one throws naming it. */
export function normalizePluginOptions(
  options: FastifyExportOptions = {},
): NormalizedFastifyExportOptions {
  if (options === null || typeof options !== 'object') {
    throw new ExportFastifyOptionError(`options must be an object, got ${describeOption(options)}`);
  }
  const { limiter, limiterKey, metrics, ndjson = {} } = options;
  if (limiter !== undefined && typeof limiter?.run !== 'function') {
    throw new ExportFastifyOptionError(
      `option \`limiter\` must be an @org/export-limiter limiter, got ${describeOption(limiter)}`,
    );
  }
  if (limiterKey !== undefined && typeof limiterKey !== 'function') {
    throw new ExportFastifyOptionError(
      `option \`limiterKey\` must be a function of the request, got ${describeOption(limiterKey)}`,
    );
  }
  if (metrics !== undefined && typeof metrics?.requestsTotal?.inc !== 'function') {
    throw new ExportFastifyOptionError(
      `option \`metrics\` must be the families of createExportMetrics, got ${describeOption(metrics)}`,
    );
  }
  if (ndjson === null || typeof ndjson !== 'object') {
    throw new ExportFastifyOptionError(
      `option \`ndjson\` must be an object, got ${describeOption(ndjson)}`,
    );
  }
  return Object.freeze({
    limiter,
    limiterKey,
    metrics,
    ndjson: Object.freeze({
      maxLineBytes: integerAtLeastOne(
        'ndjson.maxLineBytes',
        ndjson.maxLineBytes ?? fastifyExportDefaults.ndjson.maxLineBytes,
      ),
      maxDepth: maxDepthOf(ndjson.maxDepth ?? fastifyExportDefaults.ndjson.maxDepth),
    }),
  });
}

function integerAtLeastOne(name: string, value: unknown): number {
  if (Number.isSafeInteger(value) && (value as number) >= 1) return value as number;
  throw new ExportFastifyOptionError(
    `option \`${name}\` must be an integer >= 1, got ${describeOption(value)}`,
  );
}

function maxDepthOf(value: unknown): number {
  if (value === Number.POSITIVE_INFINITY) return value;
  if (Number.isSafeInteger(value) && (value as number) >= 1) return value as number;
  throw new ExportFastifyOptionError(
    `option \`ndjson.maxDepth\` must be an integer >= 1 or Infinity, got ${describeOption(value)}`,
  );
}
