import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Limiter } from '@org/export-limiter';
import Type from 'typebox';
import type { JobQueue } from '../jobs/job-queue.js';
import type { ExecutorLifecycle } from '../lifecycle.js';
import { errorResponses } from '../schemas/error-schema.js';
import { executorVersion } from '../version.js';

export interface ExportStatusRoutesOptions {
  limiter: Limiter;
  lifecycle: ExecutorLifecycle;
  jobs: JobQueue;
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
});

export const exportStatusRoutes: FastifyPluginAsyncTypebox<ExportStatusRoutesOptions> = async (
  app,
  { limiter, lifecycle, jobs },
) => {
  app.get(
    '/export/status',
    {
      schema: {
        summary: 'What the export limiter is doing now',
        security: [{ bearer: [] }],
        response: { 200: StatusResponse, ...errorResponses(401) },
      },
    },
    async (request) => {
      const { running, queued, maxConcurrent, maxQueue } = limiter.stats();
      return {
        status: lifecycle.draining ? ('draining' as const) : ('ready' as const),
        running,
        queued,
        maxConcurrent,
        maxQueue,
        version: executorVersion,
        jobs: jobs.counts(request.exportUser),
      };
    },
  );
};
