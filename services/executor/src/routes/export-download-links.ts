import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { JobNotFoundError, LinkInvalidError } from '../errors.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { DownloadLinks } from '../links/download-links.js';
import { errorResponses } from '../schemas/error-schema.js';
import { artifactResponses } from '../schemas/file-response-schema.js';
import { JobParamsSchema } from '../schemas/job-schema.js';
import { sendJobArtifact } from './send-job-artifact.js';

export interface ExportDownloadLinkRoutesOptions {
  jobs: JobQueue;
  /** Downloads answer 307 to a presigned URL of the store (EXPORT_S3_PRESIGNED_DOWNLOADS). */
  redirectToStore: boolean;
  /** Undefined when no secret is configured: every link is refused. */
  links: DownloadLinks | undefined;
}

const LinkQuerySchema = Type.Object({
  expires: Type.Optional(Type.String({ description: 'unix seconds, as the link carries it' })),
  signature: Type.Optional(Type.String({ description: 'as the link carries it' })),
});

/**
 * A done job's file through the signed link of its job view: no bearer token, the signature is
 * the credential. Range, HEAD and conditional requests as on /export/jobs/:id/download.
 */
export const exportDownloadLinkRoutes: FastifyPluginAsyncTypebox<
  ExportDownloadLinkRoutesOptions
> = async (app, { jobs, links, redirectToStore }) => {
  app.route({
    method: ['GET', 'HEAD'],
    url: '/export/downloads/:id',
    config: { public: true },
    schema: {
      summary: "Download a done job's file through its signed link (the job view's downloadUrl)",
      params: JobParamsSchema,
      querystring: LinkQuerySchema,
      response: {
        ...artifactResponses(),
        ...errorResponses(400, 403, 404, 409, 412, 416, 500, 503),
      },
    },
    handler: async (request, reply) => {
      const { id } = request.params;
      if (!links) {
        throw new LinkInvalidError('this executor signs no links (EXPORT_LINK_SECRET is not set)');
      }
      links.verify(id, request.query.expires, request.query.signature);
      // Deleted or expired by retention since the link was made: as if it never was.
      const artifact = await jobs.artifact(id, undefined);
      if (!artifact) throw new JobNotFoundError(id);
      // The link is a credential: kept out of shared caches and of the next page's Referer.
      reply.header('cache-control', 'private, no-cache').header('referrer-policy', 'no-referrer');
      return sendJobArtifact(request, reply, id, artifact, { redirectToStore });
    },
  });
};
