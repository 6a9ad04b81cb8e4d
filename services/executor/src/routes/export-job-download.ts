import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { attachmentDisposition, exportContentTypes } from '@org/export-fastify';
import Type from 'typebox';
import { JobNotFoundError, PreconditionFailedError, RangeNotSatisfiableError } from '../errors.js';
import { parseByteRange } from '../exports/byte-range.js';
import {
  entityTagOf,
  matchHolds,
  noneMatchHits,
  rangeStillApplies,
} from '../exports/entity-tag.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { errorResponses } from '../schemas/error-schema.js';
import { fileResponse } from '../schemas/file-response-schema.js';
import { JobParamsSchema } from '../schemas/job-schema.js';

export interface ExportJobDownloadRoutesOptions {
  jobs: JobQueue;
}

/** A finished job's file, with an ETag (its SHA-256), conditional requests and byte ranges. */
export const exportJobDownloadRoutes: FastifyPluginAsyncTypebox<
  ExportJobDownloadRoutesOptions
> = async (app, { jobs }) => {
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
        200: fileResponse('the CSV or PDF file'),
        206: fileResponse('the requested bytes of the file'),
        304: Type.Null({ description: 'the file is the one you have (If-None-Match)' }),
        ...errorResponses(400, 401, 404, 409, 412, 416, 500, 503),
      },
    },
    handler: async (request, reply) => {
      const { id } = request.params;
      const artifact = await jobs.artifact(id, request.exportUser);
      if (!artifact) throw new JobNotFoundError(id);
      const entityTag = entityTagOf(artifact.sha256);
      reply
        .header('etag', entityTag)
        .header('accept-ranges', 'bytes')
        .header('cache-control', 'private, no-cache');
      // RFC 9110 §13.2.2: If-Match first, then If-None-Match, then If-Range and Range.
      const ifMatch = request.headers['if-match'];
      if (!matchHolds(ifMatch, entityTag)) throw new PreconditionFailedError(String(ifMatch));
      if (noneMatchHits(request.headers['if-none-match'], entityTag)) {
        // No body, so no content type: a 304 only confirms the client's copy.
        return reply.code(304).send(undefined as unknown as null);
      }
      const ifRange = request.headers['if-range'];
      const rangeHeader = rangeStillApplies(
        Array.isArray(ifRange) ? ifRange[0] : ifRange,
        entityTag,
      )
        ? request.headers.range
        : undefined;
      const answer = parseByteRange(rangeHeader, artifact.size);
      if (answer.kind === 'unsatisfiable') {
        reply.header('content-range', `bytes */${artifact.size}`);
        throw new RangeNotSatisfiableError(String(rangeHeader), artifact.size);
      }
      reply
        .header('content-type', exportContentTypes[artifact.format])
        .header('content-disposition', attachmentDisposition(`export-${id}.${artifact.format}`));
      // HEAD: the headers alone; opening the file would read it all only to throw it away.
      const wantsBody = request.method !== 'HEAD';
      if (answer.kind === 'full') {
        return reply
          .header('content-length', artifact.size)
          .send(wantsBody ? artifact.open() : undefined);
      }
      const { start, end } = answer.range;
      return reply
        .code(206)
        .header('content-range', `bytes ${start}-${end}/${artifact.size}`)
        .header('content-length', end - start + 1)
        .send(wantsBody ? artifact.open(answer.range) : undefined);
    },
  });
};
