import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { type TypeBoxTypeProvider, TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { type ExecutorConfig, parseApiTokens, parseLinkSecrets } from './config.js';
import { type EarlyAnswers, earlyAnswers } from './connections/early-answers.js';
import { handleExpectations } from './connections/expectations.js';
import { type LingeringUploads, lingeringUploads } from './connections/lingering-uploads.js';
import { stalledClients } from './connections/stalled-clients.js';
import { errorResponse } from './error-response.js';
import { DrainingError, NotFoundError } from './errors.js';
import { createLifecycle, type ExecutorLifecycle } from './lifecycle.js';
import { type ExportPluginOptions, exportPlugin } from './plugins/export-plugin.js';
import { healthRoutes } from './routes/health.js';
import { readyRoutes } from './routes/ready.js';
import { ErrorSchema } from './schemas/error-schema.js';
import { executorVersion } from './version.js';
import { parseWebhookHosts } from './webhooks/webhook-hosts.js';

export interface BuildOptions {
  config: ExecutorConfig;
  /** Defaults to pino at `config.LOG_LEVEL`; tests pass `false`. */
  logger?: FastifyServerOptions['logger'];
  /** Defaults to a new registry with prom-client's default process metrics. */
  registry?: Registry;
  /** Defaults to a new one; server.ts turns it to draining on SIGTERM. */
  lifecycle?: ExecutorLifecycle;
}

declare module 'fastify' {
  interface FastifyInstance {
    lifecycle: ExecutorLifecycle;
  }
}

// How long an answer given before its upload ended waits for the rest, to read and drop it.
const unreadUploadWaitMs = 10_000;

/** Builds the app without listening, so tests can `inject` and servers can `listen`. */
export async function build(options: BuildOptions) {
  const { config } = options;
  const lifecycle = options.lifecycle ?? createLifecycle();
  // Fastify's defaults let a client that trickles its body or never reads hold a slot forever.
  const clients = stalledClients({
    requestTimeoutSeconds: config.EXPORT_REQUEST_TIMEOUT_S,
    idleTimeoutSeconds: config.EXPORT_IDLE_TIMEOUT_S,
  });
  const answersBeforeUploadEnds = earlyAnswers(unreadUploadWaitMs);
  // Uploads still arriving when the grace period ends are answered 503 and their work undone.
  const uploads = lingeringUploads({ cutWith: () => new DrainingError() });
  const answerError = (error: unknown, request: FastifyRequest, reply: FastifyReply) =>
    answerErrorTo(error, request, reply, { answersBeforeUploadEnds, uploads });
  const app = Fastify({
    ...clients.serverOptions,
    logger: options.logger ?? { level: config.LOG_LEVEL },
    bodyLimit: config.EXPORT_BODY_LIMIT_MB * 1024 * 1024,
    // Body coercion off: a wrong type is a 400 naming the field, never a silent conversion.
    ajv: { customOptions: { coerceTypes: false } },
    // The router's own refusals (bad percent-encoding, a path parameter over 100 characters)
    // come before any route: answered like every other error, not in Fastify's own shape.
    frameworkErrors: answerError,
  }).withTypeProvider<TypeBoxTypeProvider>();
  // Closing waits for in-flight answers: one that waits for the rest of an upload ends now.
  app.addHook('preClose', async () => {
    answersBeforeUploadEnds.endAll();
  });
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  clients.watch(app);
  uploads.watch(app);
  // Drained before closing (server.ts): closing itself would wait on them without bound.
  const removeUploadsDrainStep = lifecycle.onDrain(() =>
    uploads.settle(config.EXPORT_SHUTDOWN_TIMEOUT_S * 1000),
  );
  app.addHook('onClose', async () => removeUploadsDrainStep());
  handleExpectations(app);
  app.decorate('lifecycle', lifecycle);
  app.addSchema(ErrorSchema);

  app.setErrorHandler(answerError);
  app.setNotFoundHandler(async (request) => {
    throw new NotFoundError(request.method, request.url.split('?')[0] ?? '');
  });

  await app.register(swagger, {
    // 3.1: its schemas are JSON Schema 2020-12, as TypeBox writes them (a numeric
    // exclusiveMinimum, `type: 'null'`); 3.0 would need every such keyword rewritten.
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Export@Scale executor', version: executorVersion },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    // Shared schemas under their own names (ExecutorError), not def-0: clients generated from
    // the document name their types after them.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, index) => idOf(json, index) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(healthRoutes);
  await app.register(readyRoutes, { lifecycle });
  // A failed start closes what the plugin had opened (the cluster's connections): nobody else
  // can close an app that build() does not return.
  try {
    await app.register(
      exportPlugin,
      exportPluginOptionsOf(config, options.registry ?? createRegistry(), lifecycle),
    );
  } catch (error) {
    await app.close().catch((closeError: unknown) => {
      app.log.error({ err: closeError }, 'closing the app that failed to start failed');
    });
    throw error;
  }
  return app;
}

/** One JSON shape for every error, whoever raised it: a route, a hook, the body parser, the router. */
function answerErrorTo(
  raised: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  {
    answersBeforeUploadEnds,
    uploads,
  }: { answersBeforeUploadEnds: EarlyAnswers; uploads: LingeringUploads },
): FastifyReply {
  // Cut at shutdown: what the route then failed with (a source error, say) is the cut's effect.
  const error = uploads.cutError(request.raw) ?? raised;
  const response = errorResponse(error);
  // The client left mid-request (an upload cut short): nobody to answer, nothing failed here.
  if (request.raw.destroyed && reply.raw.destroyed) {
    request.log.info({ code: response.code }, 'client went away before the answer');
    return reply.code(response.statusCode).send(response);
  }
  if (response.statusCode >= 500 && !shutdownCodes.has(response.code)) {
    request.log.error({ err: error }, 'request failed');
  } else {
    request.log.info({ code: response.code, statusCode: response.statusCode }, response.message);
  }
  if (response.retryAfterSeconds !== undefined) {
    reply.header('retry-after', String(response.retryAfterSeconds));
  }
  // Refused before its upload was read (a full queue, a bad line): answered now, closed once read.
  if (request.raw.complete === false && !request.raw.destroyed) {
    const text = JSON.stringify(response);
    return reply
      .code(response.statusCode)
      .type('application/json; charset=utf-8')
      .header('content-length', String(Buffer.byteLength(text)))
      .header('connection', 'close')
      .send(answersBeforeUploadEnds.answer(request.raw, text));
  }
  return reply.code(response.statusCode).send(response);
}

// 503s that say the executor is stopping, as it was told to: nothing failed.
const shutdownCodes: ReadonlySet<string> = new Set(['EXECUTOR_DRAINING', 'LIMITER_CLOSED']);

/** The export plugin's options, from the environment variables that set them. */
function exportPluginOptionsOf(
  config: ExecutorConfig,
  registry: Registry,
  lifecycle: ExecutorLifecycle,
): ExportPluginOptions {
  return {
    registry,
    exportDirectory: config.EXPORT_DIR,
    limiter: {
      maxConcurrent: config.EXPORT_MAX_CONCURRENT,
      maxQueue: config.EXPORT_MAX_QUEUE,
      ...(config.EXPORT_MAX_PER_USER ? { maxPerKey: config.EXPORT_MAX_PER_USER } : {}),
      ...(config.EXPORT_MAX_QUEUED_PER_USER === undefined
        ? {}
        : { maxQueuedPerKey: config.EXPORT_MAX_QUEUED_PER_USER }),
    },
    minUploadRate: {
      bytesPerSecond: config.EXPORT_MIN_UPLOAD_BYTES_PER_S,
      graceSeconds: config.EXPORT_MIN_UPLOAD_GRACE_S,
    },
    workers: {
      ...(config.EXPORT_WORKERS ? { size: config.EXPORT_WORKERS } : {}),
      maxHeapMb: config.EXPORT_WORKER_MAX_MB,
    },
    maxRows: config.EXPORT_MAX_ROWS,
    exportTimeoutSeconds: config.EXPORT_JOB_TIMEOUT_S,
    shutdownTimeoutSeconds: config.EXPORT_SHUTDOWN_TIMEOUT_S,
    retentionHours: config.EXPORT_RETENTION_HOURS,
    maxJobsPerUser: config.EXPORT_MAX_JOBS_PER_USER,
    apiTokens: parseApiTokens(config.EXPORT_API_TOKENS),
    lifecycle,
    ...(config.EXPORT_LINK_SECRET
      ? {
          downloadLinks: {
            secrets: parseLinkSecrets(config.EXPORT_LINK_SECRET),
            ttlSeconds: config.EXPORT_LINK_TTL_S,
            ...(config.EXPORT_PUBLIC_URL ? { publicUrl: config.EXPORT_PUBLIC_URL } : {}),
          },
        }
      : {}),
    ...(config.EXPORT_WEBHOOK_HOSTS && config.EXPORT_WEBHOOK_SECRET
      ? {
          webhooks: {
            hosts: parseWebhookHosts(config.EXPORT_WEBHOOK_HOSTS),
            secret: config.EXPORT_WEBHOOK_SECRET,
            maxAttempts: config.EXPORT_WEBHOOK_MAX_ATTEMPTS,
            firstRetryMs: Math.max(1, Math.round(config.EXPORT_WEBHOOK_FIRST_RETRY_S * 1000)),
          },
        }
      : {}),
    ...(config.EXPORT_STORE === 's3' && config.EXPORT_S3_BUCKET
      ? {
          s3: {
            bucket: config.EXPORT_S3_BUCKET,
            prefix: config.EXPORT_S3_PREFIX,
            region: config.EXPORT_S3_REGION,
            ...(config.EXPORT_S3_ENDPOINT ? { endpoint: config.EXPORT_S3_ENDPOINT } : {}),
            forcePathStyle: config.EXPORT_S3_FORCE_PATH_STYLE,
            presignedDownloads: config.EXPORT_S3_PRESIGNED_DOWNLOADS,
          },
        }
      : {}),
    ...(config.REDIS_URL
      ? {
          cluster: {
            redisUrl: config.REDIS_URL,
            queueName: config.EXPORT_QUEUE_NAME,
            maxConcurrent: config.EXPORT_CLUSTER_MAX_CONCURRENT,
            maxQueue: config.EXPORT_CLUSTER_MAX_QUEUE,
            lockMs: config.EXPORT_CLUSTER_LOCK_S * 1000,
          },
        }
      : {}),
  };
}

function idOf(schema: { $id?: unknown }, index: number): string {
  return typeof schema.$id === 'string' ? schema.$id : `def-${index}`;
}

function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

export type ExecutorApp = Awaited<ReturnType<typeof build>>;
export { ConfigSchema, type ExecutorConfig, loadConfig } from './config.js';
export { type ExportPluginOptions, exportPlugin } from './plugins/export-plugin.js';
