import { mkdir } from 'node:fs/promises';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createExportPool, exportFormats } from '@org/export-core';
import { createLimiter } from '@org/export-limiter';
import {
  bindLimiterMetrics,
  createClusterMetrics,
  createExportMetrics,
  createWebhookMetrics,
  createWorkerPoolMetrics,
} from '@org/export-metrics';
import { openS3ArtifactStore } from '../artifacts/open-s3-artifact-store.js';
import { addAuthHook } from '../auth/add-auth-hook.js';
import { createClusterJobQueue } from '../cluster/create-cluster-job-queue.js';
import { type Cluster, joinCluster } from '../cluster/join-cluster.js';
import { createEmbeddedJobQueue } from '../embedded/create-embedded-job-queue.js';
import { createFileJobStore } from '../embedded/file-job-store.js';
import type { ExportContext } from '../exports/execute-export.js';
import { type JobFiles, jobFilesUnder } from '../jobs/job-files.js';
import type { ExpiringJobQueue, JobQueueSettings } from '../jobs/job-queue.js';
import { removePartialFiles } from '../jobs/remove-partial-files.js';
import { createDownloadLinks } from '../links/download-links.js';
import { exportDownloadLinkRoutes } from '../routes/export-download-links.js';
import { exportJobDownloadRoutes } from '../routes/export-job-download.js';
import { exportJobsRoutes } from '../routes/export-jobs.js';
import { exportRunRoutes } from '../routes/export-run.js';
import { exportStatusRoutes } from '../routes/export-status.js';
import { exportStreamRoutes } from '../routes/export-stream.js';
import { metricsRoutes } from '../routes/metrics.js';
import { ErrorSchema } from '../schemas/error-schema.js';
import { jobView } from '../schemas/job-schema.js';
import { createFileWebhookStore } from '../webhooks/file-webhook-store.js';
import { createRedisWebhookStore } from '../webhooks/redis-webhook-store.js';
import { createWebhookDispatcher, type WebhookDispatcher } from '../webhooks/webhook-dispatcher.js';
import { webhookHostsOf } from '../webhooks/webhook-hosts.js';
import { createWebhookScheduler } from '../webhooks/webhook-scheduler.js';
import { addExportBodyParsing } from './add-export-body-parsing.js';
import {
  type ExportPluginOptions,
  normalizeExportPluginOptions,
} from './normalize-export-plugin-options.js';
import { closeOpenedResources, openedResources } from './opened-resources.js';
import { startExpirySweep } from './start-expiry-sweep.js';

export type { ExportPluginOptions } from './normalize-export-plugin-options.js';

/**
 * The export API as one encapsulated plugin, so another Fastify app can register it too. Every
 * export goes through its one limiter; bad options fail here, at registration, with a coded
 * error (EXECUTOR_INVALID_OPTION, or the limiter's own LIMITER_INVALID_OPTION).
 */
export const exportPlugin: FastifyPluginAsyncTypebox<ExportPluginOptions> = async (app, given) => {
  const options = normalizeExportPluginOptions(given);
  const { exportDirectory, lifecycle, maxRows, maxLineBytes, exportTimeoutSeconds } = options;
  const limiter = createLimiter(options.limiter);
  const { maxConcurrent, maxQueue } = limiter.stats();
  // Before anything opens: a start that fails halfway still closes what it had opened.
  const opened = openedResources();
  app.addHook('onClose', async () => closeOpenedResources(opened));
  // Running and queued exports get the grace period; then they are aborted, which removes
  // their partial files. The process drains before it closes (server.ts); an app closed
  // without draining (tests) closes the limiter in onClose. A second close returns the first's promise.
  const closeLimiter = () => limiter.close({ timeoutMs: options.shutdownTimeoutSeconds * 1000 });
  opened.closeLimiter = closeLimiter;
  opened.lifecycleRemovals.push(lifecycle.onDrain(closeLimiter));
  const exportMetrics = createExportMetrics({
    registry: options.registry,
    limits: { maxConcurrent, maxQueue },
  });
  opened.unbindMetrics = bindLimiterMetrics(exportMetrics, limiter);
  await mkdir(exportDirectory, { recursive: true });
  // Nothing runs here yet, so a temp file is a leftover of a killed process; in a cluster's
  // shared folder, other replicas' exports write theirs, so only one older than any export.
  const sweptFiles = await removePartialFiles(
    exportDirectory,
    options.cluster ? { unchangedForMs: exportTimeoutSeconds * 1000 } : {},
  );
  if (sweptFiles.length > 0) app.log.info({ sweptFiles }, 'leftover temp files removed');
  const cluster = options.cluster ? await joinCluster(options.cluster, app.log) : undefined;
  opened.cluster = cluster;
  const { workers } = options;
  const pool = 'pool' in workers ? workers.pool : createExportPool(workers);
  if (!('pool' in workers)) opened.ownedPool = pool;
  createWorkerPoolMetrics({
    registry: options.registry,
    read: () => {
      const { size, busy } = pool.stats();
      return { workers: size, busy };
    },
  });

  const context: ExportContext = {
    limiter,
    pool,
    maxRows,
    metrics: exportMetrics,
    timeoutSeconds: exportTimeoutSeconds,
    sharedSlots: cluster?.slots,
  };
  const retentionMs = options.retentionHours * 3_600_000;
  // Checked before anything is accepted: a bucket that cannot be used stops the boot.
  const artifacts = options.s3 ? await openS3ArtifactStore(options.s3) : undefined;
  opened.artifacts = artifacts;
  const files = jobFilesUnder(exportDirectory, {
    artifacts,
    // Another replica may run the job: its input must be where that one can read it.
    sharedInputs: options.cluster !== undefined,
  });
  const links = options.downloadLinks && createDownloadLinks(options.downloadLinks);
  const webhookHosts = options.webhooks && webhookHostsOf(options.webhooks.hosts);
  let webhookDispatcher: WebhookDispatcher | undefined;
  let jobEnds: ReturnType<typeof createWebhookScheduler> | undefined;
  if (options.webhooks) {
    const store = cluster
      ? createRedisWebhookStore(cluster.redis, cluster.keys)
      : createFileWebhookStore(files);
    const webhookMetrics = createWebhookMetrics({ registry: options.registry });
    webhookDispatcher = createWebhookDispatcher({
      ...options.webhooks,
      store,
      // A job deleted meanwhile is undefined; one unreadable now (recovering) rejects.
      readJob: (id) => jobs.get(id, undefined),
      viewOf: (record) => jobView({ ...record, progressRows: record.rows ?? 0 }, links),
      hosts: webhookHosts as NonNullable<typeof webhookHosts>,
      count: (outcome) => webhookMetrics.countAttempt(outcome),
      log: app.log,
    });
    jobEnds = createWebhookScheduler({ store, dispatcher: webhookDispatcher, log: app.log });
  }
  const jobOptions = {
    files,
    context,
    log: app.log,
    maxRows,
    // JSON-body records are bounded like NDJSON lines now, but a job spooled before that bound,
    // still queued on disk, may hold lines up to the body limit: it must still run.
    maxLineBytes: Math.max(maxLineBytes, app.initialConfig.bodyLimit ?? 0),
    retentionMs,
    maxJobsPerUser: options.maxJobsPerUser,
    jobEnds,
  };
  const jobs = cluster
    ? clusterJobs(cluster, jobOptions)
    : createEmbeddedJobQueue({ ...jobOptions, store: createFileJobStore(jobOptions.files) });
  // Before it starts: a cluster queue holds its Redis connections from its creation.
  opened.jobs = jobs;
  await jobs.start();
  if (webhookDispatcher) {
    opened.webhooks = webhookDispatcher;
    await webhookDispatcher.start();
  }
  // /ready says 503 while the stored jobs are recovered, or while a replica cannot reach Redis.
  opened.lifecycleRemovals.push(lifecycle.addReadinessCheck(() => jobs.unavailability()));
  lifecycle.addStartupTask(jobs.recovered());
  opened.sweepTimer = startExpirySweep({
    jobs,
    exportDirectory,
    // An upload older than any export is a dead process's (a replica's killed mid-upload, an
    // abort the store was down for): a running export's is younger.
    ...(artifacts
      ? { unfinishedUploads: { store: artifacts, olderThanMs: 2 * exportTimeoutSeconds * 1000 } }
      : {}),
    retentionMs,
    intervalMs: options.sweepIntervalMs,
    log: app.log,
  });
  opened.lifecycleRemovals.push(lifecycle.onDrain(() => jobs.close()));

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
  addExportBodyParsing(app, { maxRecordBytes: maxLineBytes, maxRows });
  addAuthHook(app, options.apiTokens);

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
    minUploadRate: options.minUploadRate,
  });
  if (!links) app.log.info('no download link secret: job views carry no downloadUrl');
  await app.register(exportJobsRoutes, { jobs, lifecycle, maxLineBytes, links, webhookHosts });
  const redirectToStore = options.s3?.presignedDownloads ?? false;
  await app.register(exportJobDownloadRoutes, { jobs, redirectToStore });
  await app.register(exportDownloadLinkRoutes, { jobs, links, redirectToStore });
  app.log.info(
    {
      formats: exportFormats,
      maxConcurrent,
      maxQueue,
      exportDirectory,
      store: options.s3
        ? { kind: 's3', bucket: options.s3.bucket, prefix: options.s3.prefix, redirectToStore }
        : { kind: 'local' },
      auth: options.apiTokens.size > 0,
      downloadLinks: links !== undefined,
      webhookHosts: webhookHosts?.entries ?? false,
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
