import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Limiter } from '@org/export-limiter';
import Type from 'typebox';
import type { ClusterState } from '../cluster/cluster-slots.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { ExecutorLifecycle } from '../lifecycle.js';
import { errorResponses } from '../schemas/error-schema.js';
import { executorVersion } from '../version.js';

export interface ExportStatusRoutesOptions {
  limiter: Limiter;
  lifecycle: ExecutorLifecycle;
  jobs: JobQueue;
  /** The whole cluster's exports, when this process is one replica of it. */
  cluster?: () => Promise<ClusterState>;
}

const StatusResponse = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('draining')]),
  running: Type.Integer(),
  queued: Type.Integer(),
  maxConcurrent: Type.Integer(),
  maxQueue: Type.Integer(),
  version: Type.String(),
  jobs: Type.Object({
    queued: Type.Integer(),
    running: Type.Integer(),
    done: Type.Integer(),
    failed: Type.Integer(),
    cancelled: Type.Integer(),
  }),
  cluster: Type.Optional(
    Type.Object(
      {
        running: Type.Integer(),
        queued: Type.Integer(),
        maxConcurrent: Type.Integer(),
        maxQueue: Type.Integer(),
      },
      { description: 'Every replica together; present only with REDIS_URL' },
    ),
  ),
});

export const exportStatusRoutes: FastifyPluginAsyncTypebox<ExportStatusRoutesOptions> = async (
  app,
  { limiter, lifecycle, jobs, cluster },
) => {
  app.get(
    '/export/status',
    {
      schema: {
        summary: 'What this process (and, in a cluster, every replica) is exporting now',
        security: [{ bearer: [] }],
        response: { 200: StatusResponse, ...errorResponses(401, 500, 503) },
      },
    },
    async (request) => {
      const { running, queued, maxConcurrent, maxQueue } = limiter.stats();
      const shared = await cluster?.();
      return {
        status: lifecycle.draining ? ('draining' as const) : ('ready' as const),
        running,
        queued,
        maxConcurrent,
        maxQueue,
        version: executorVersion,
        jobs: await jobs.counts(request.exportUser),
        ...(shared ? { cluster: shared } : {}),
      };
    },
  );
};
