import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { JobNotFoundError } from '../errors.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { errorResponses } from '../schemas/error-schema.js';
import { artifactResponses } from '../schemas/file-response-schema.js';
import { JobParamsSchema } from '../schemas/job-schema.js';
import { sendJobArtifact } from './send-job-artifact.js';

export interface ExportJobDownloadRoutesOptions {
  jobs: JobQueue;
  /** Downloads answer 307 to a presigned URL of the store (EXPORT_S3_PRESIGNED_DOWNLOADS). */
  redirectToStore: boolean;
}

/** A finished job's file, with an ETag (its SHA-256), conditional requests and byte ranges. */
export const exportJobDownloadRoutes: FastifyPluginAsyncTypebox<
  ExportJobDownloadRoutesOptions
> = async (app, { jobs, redirectToStore }) => {
  // HEAD is declared rather than derived from GET: Fastify's derived HEAD reads a streamed body
  // to the end, and would overwrite the Content-Length of an empty one.
  app.route({
    method: ['GET', 'HEAD'],
    url: '/export/jobs/:id/download',
    schema: {
      summary: "Download a done job's file; supports If-None-Match and Range",
      security: [{ bearer: [] }],
      params: JobParamsSchema,
      response: {
        ...artifactResponses(),
        ...errorResponses(400, 401, 404, 409, 412, 416, 500, 503),
      },
    },
    handler: async (request, reply) => {
      const { id } = request.params;
      const artifact = await jobs.artifact(id, request.exportUser);
      if (!artifact) throw new JobNotFoundError(id);
      reply.header('cache-control', 'private, no-cache');
      return sendJobArtifact(request, reply, id, artifact, { redirectToStore });
    },
  });
};
