import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createExportPool, type ExportPool, exportFormats } from '@org/export-core';
import { createLimiter, type LimiterOptions } from '@org/export-limiter';
import {
  bindLimiterMetrics,
  createClusterMetrics,
  createExportMetrics,
  createWorkerPoolMetrics,
  type ExportMetrics,
} from '@org/export-metrics';
import type { Registry } from 'prom-client';
import { createAuthenticator } from '../auth/create-authenticator.js';
import { createClusterJobQueue } from '../cluster/create-cluster-job-queue.js';
import { type Cluster, type ClusterOptions, joinCluster } from '../cluster/join-cluster.js';
import { continueOnceChecked } from '../connections/expectations.js';
import { InvalidRequestError, UnauthorizedError } from '../errors.js';
import { refuseNonUtf8Body } from '../exports/body-charset.js';
import { refuseEncodedBody } from '../exports/body-encoding.js';
import type { ExportContext } from '../exports/execute-export.js';
import { headerCount } from '../exports/header-count.js';
import { jsonExportBodyParser } from '../exports/json-export-body.js';
import { sweepExpiredRunFiles } from '../exports/sweep-expired-run-files.js';
import { type MinimumUploadRate, minimumUploadRateDefaults } from '../exports/upload-rate-guard.js';
import { createEmbeddedJobQueue } from '../jobs/create-embedded-job-queue.js';
import { type JobFiles, jobFilesUnder } from '../jobs/job-files.js';
import type { ExpiringJobQueue, JobQueueSettings } from '../jobs/job-queue.js';
import { createFileJobStore } from '../jobs/job-store.js';
import { removePartialFiles } from '../jobs/remove-partial-files.js';
import { createLifecycle, type ExecutorLifecycle } from '../lifecycle.js';
import { exportJobDownloadRoutes } from '../routes/export-job-download.js';
import { exportJobsRoutes } from '../routes/export-jobs.js';
import { exportRunRoutes } from '../routes/export-run.js';
import { exportStatusRoutes } from '../routes/export-status.js';
import { exportStreamRoutes } from '../routes/export-stream.js';
import { metricsRoutes } from '../routes/metrics.js';
import { ErrorSchema } from '../schemas/error-schema.js';

export interface ExportPluginOptions {
  /** The registry the export metrics live on, and that `/metrics` exposes. */
  registry: Registry;
  /** Where /export/run writes its files; created if missing. Default `./exports`. */
  exportDirectory?: string;
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

declare module 'fastify' {
  interface FastifyInstance {
    exportMetrics: ExportMetrics;
  }
  interface FastifyRequest {
    /** The authenticated user, when API tokens are configured. */
    exportUser: string | undefined;
  }
  interface FastifyContextConfig {
    /** Reachable without a token (the metrics). */
    public?: boolean;
  }
}

/**
 * The export API as one encapsulated plugin, so another Fastify app can register it too. Every
 * export goes through its one limiter; bad options fail here, at registration, with the
 * library's coded error.
 */
export const exportPlugin: FastifyPluginAsyncTypebox<ExportPluginOptions> = async (
  app,
  options,
) => {
  const exportDirectory = options.exportDirectory ?? './exports';
  const lifecycle = options.lifecycle ?? createLifecycle();
  const limiter = createLimiter(options.limiter ?? {});
  const { maxConcurrent, maxQueue } = limiter.stats();
  const exportMetrics = createExportMetrics({
    registry: options.registry,
    limits: { maxConcurrent, maxQueue },
  });
  const unbindMetrics = bindLimiterMetrics(exportMetrics, limiter);
  await mkdir(exportDirectory, { recursive: true });
  const exportTimeoutSeconds = options.exportTimeoutSeconds ?? 600;
  // Nothing runs here yet, so a temp file is a leftover of a killed process; in a cluster's
  // shared folder, other replicas' exports write theirs, so only one older than any export.
  const sweptFiles = await removePartialFiles(
    exportDirectory,
    options.cluster ? { unchangedForMs: exportTimeoutSeconds * 1000 } : {},
  );
  if (sweptFiles.length > 0) app.log.info({ sweptFiles }, 'leftover temp files removed');
  const cluster = options.cluster ? await joinCluster(options.cluster, app.log) : undefined;
  // Started once nothing before it can fail: its threads are closed with the app.
  const pool = workerPoolOf(options.workers, maxConcurrent);
  const ownsPool = !(options.workers && 'pool' in options.workers);
  createWorkerPoolMetrics({
    registry: options.registry,
    read: () => {
      const { size, busy } = pool.stats();
      return { workers: size, busy };
    },
  });
  app.decorate('exportMetrics', exportMetrics);
  // Running and queued exports get the grace period; then they are aborted, which removes
  // their partial files. The process drains before it closes (server.ts); an app closed
  // without draining (tests) closes the limiter here. A second close returns the first's promise.
  const closeLimiter = () =>
    limiter.close({ timeoutMs: (options.shutdownTimeoutSeconds ?? 30) * 1000 });
  const removeDrainStep = lifecycle.onDrain(closeLimiter);

  const maxRows = options.maxRows ?? 2_000_000;
  const context: ExportContext = {
    limiter,
    pool,
    maxRows,
    metrics: exportMetrics,
    timeoutSeconds: exportTimeoutSeconds,
    sharedSlots: cluster?.slots,
  };
  const maxLineBytes = options.maxLineBytes ?? 1024 * 1024;
  const retentionMs = (options.retentionHours ?? 24) * 3_600_000;
  const jobOptions = {
    files: jobFilesUnder(exportDirectory),
    context,
    log: app.log,
    maxRows,
    // JSON-body records are bounded like NDJSON lines now, but a job spooled before that bound,
    // still queued on disk, may hold lines up to the body limit: it must still run.
    maxLineBytes: Math.max(maxLineBytes, app.initialConfig.bodyLimit ?? 0),
    retentionMs,
    maxJobsPerUser: options.maxJobsPerUser ?? 1000,
  };
  const jobs = cluster
    ? clusterJobs(cluster, jobOptions)
    : createEmbeddedJobQueue({ ...jobOptions, store: createFileJobStore(jobOptions.files) });
  await jobs.start();
  // /ready says 503 while the stored jobs are recovered, or while a replica cannot reach Redis.
  const removeReadinessCheck = lifecycle.addReadinessCheck(() => jobs.unavailability());
  lifecycle.addStartupTask(jobs.recovered());
  const sweepExpired = async () => {
    const sweptJobs = await jobs.sweepExpired();
    const sweptRunFiles = await sweepExpiredRunFiles(exportDirectory, Date.now() - retentionMs);
    if (sweptRunFiles > 0) app.log.info({ sweptRunFiles }, 'expired export files deleted');
    return sweptJobs + sweptRunFiles;
  };
  const sweepTimer = setInterval(
    () => {
      sweepExpired().catch((error: unknown) => {
        app.log.error({ err: error }, 'sweeping expired exports failed');
      });
    },
    options.sweepIntervalMs ?? Math.min(retentionMs / 4, 600_000),
  );
  sweepTimer.unref();
  const removeJobsDrainStep = lifecycle.onDrain(() => jobs.close());
  app.addHook('onClose', async () => {
    clearInterval(sweepTimer);
    removeDrainStep();
    removeJobsDrainStep();
    removeReadinessCheck();
    await Promise.all([closeLimiter(), jobs.close()]);
    // Only once nothing runs: closing waits for the exports still on a worker.
    if (ownsPool) await pool.close();
    await cluster?.close();
    unbindMetrics();
  });

  function clusterJobs(
    joined: Cluster,
    settings: JobQueueSettings & { files: JobFiles },
  ): ExpiringJobQueue {
    const clusterQueue = createClusterJobQueue({ ...settings, ...joined });
    createClusterMetrics({
      registry: options.registry,
      read: () => joined.slots.state(),
    });
    return clusterQueue;
  }

  // The routes' error responses refer to it by id: a plain Fastify app has not added it.
  if (app.getSchema('ExecutorError') === undefined) app.addSchema(ErrorSchema);
  // Exports take JSON or NDJSON only; any other body type is a 415, not a confusing 400.
  app.removeContentTypeParser('text/plain');
  // A JSON body is checked as it arrives and its records stay bytes (json-export-body.ts).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    jsonExportBodyParser({ maxRecordBytes: maxLineBytes, maxRows }),
  );
  app.decorateRequest('exportRecords', undefined);
  // Bodies are read as UTF-8: one declared in another charset is refused before it is read.
  app.addHook('preParsing', refuseNonUtf8Body);
  // Nor are they decoded: a gzip body read as JSON would be refused as garbage, or worse.
  app.addHook('preParsing', refuseEncodedBody);
  // Last: a body refused above was never asked for (`Expect: 100-continue`).
  app.addHook('preParsing', continueOnceChecked);

  const apiTokens = options.apiTokens ?? new Map<string, string>();
  const authenticate = createAuthenticator(apiTokens);
  app.decorateRequest('exportUser', undefined);
  if (apiTokens.size > 0) {
    app.addHook('onRequest', async (request, reply) => {
      if (request.routeOptions.config.public) return;
      // Node keeps the first of several Authorization headers: which one counts is no guess.
      if (headerCount(request.raw.rawHeaders, 'authorization') > 1) {
        throw new InvalidRequestError('headers/authorization must be sent once');
      }
      const user = authenticate(request.headers.authorization);
      if (user === undefined) {
        // RFC 9110 §11.6.1: a 401 names the scheme it wants.
        reply.header('www-authenticate', 'Bearer');
        throw new UnauthorizedError();
      }
      request.exportUser = user;
    });
  } else {
    app.log.warn('EXPORT_API_TOKENS is not set: the export API is open to anyone who can reach it');
  }

  await app.register(metricsRoutes, { registry: options.registry });
  await app.register(exportStatusRoutes, {
    limiter,
    lifecycle,
    jobs,
    ...(cluster ? { cluster: () => cluster.slots.state() } : {}),
  });
  await app.register(exportRunRoutes, { context, lifecycle, exportDirectory });
  await app.register(exportStreamRoutes, {
    context,
    lifecycle,
    maxLineBytes,
    minUploadRate: options.minUploadRate ?? minimumUploadRateDefaults,
  });
  await app.register(exportJobsRoutes, { jobs, lifecycle, maxLineBytes });
  await app.register(exportJobDownloadRoutes, { jobs });
  app.log.info(
    {
      formats: exportFormats,
      maxConcurrent,
      maxQueue,
      exportDirectory,
      auth: apiTokens.size > 0,
      cluster: options.cluster
        ? {
            queue: options.cluster.queueName,
            maxConcurrent: options.cluster.maxConcurrent,
            maxQueue: options.cluster.maxQueue,
          }
        : false,
    },
    'export plugin registered',
  );
};

/** EXPORT_WORKERS defaults to the cores, and more workers than export slots would sit idle. */
function workerPoolOf(workers: ExportPluginOptions['workers'], maxConcurrent: number): ExportPool {
  if (workers && 'pool' in workers) return workers.pool;
  const size = Math.min(workers?.size ?? availableParallelism(), maxConcurrent);
  return createExportPool({
    size,
    ...(workers?.maxHeapMb === undefined ? {} : { maxHeapMb: workers.maxHeapMb }),
  });
}
