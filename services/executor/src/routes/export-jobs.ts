import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { fastifyExport, ndjsonContentType, ndjsonUploadOf } from '@org/export-fastify';
import Type from 'typebox';
import {
  DrainingError,
  InvalidRequestError,
  JobNotFoundError,
  PreconditionFailedError,
} from '../errors.js';
import { entityTagOf, matchHolds } from '../exports/entity-tag.js';
import { jsonRecordsOf } from '../exports/json-export-body.js';
import { isNdjsonRequest, missingBody, ndjsonOptions } from '../exports/ndjson-options.js';
import type { JobQueue, JobSnapshot, JobSubmission } from '../jobs/job-queue.js';
import type { ExecutorLifecycle } from '../lifecycle.js';
import type { DownloadLinks } from '../links/download-links.js';
import { errorResponses } from '../schemas/error-schema.js';
import {
  FormatSchema,
  type JobBody,
  JobBodySchema,
  JobQuerySchema,
} from '../schemas/export-request-schema.js';
import {
  JobListSchema,
  JobParamsSchema,
  JobSchema,
  JobStatusSchema,
  jobView,
} from '../schemas/job-schema.js';
import { callbackUrlOf } from '../webhooks/callback-url.js';
import type { WebhookHosts } from '../webhooks/webhook-hosts.js';

export interface ExportJobsRoutesOptions {
  jobs: JobQueue;
  lifecycle: ExecutorLifecycle;
  maxLineBytes: number;
  /** Signs done jobs' downloadUrl; undefined when no secret is configured. */
  links: DownloadLinks | undefined;
  /** The hosts a callbackUrl may name; undefined when webhooks are off. */
  webhookHosts: WebhookHosts | undefined;
}

const defaultPageSize = 20;
const maxPageSize = 100;

const ListQuerySchema = Type.Object(
  {
    status: Type.Optional(JobStatusSchema),
    format: Type.Optional(FormatSchema),
    limit: Type.Optional(
      Type.String({ pattern: '^[0-9]{1,4}$', description: `1 to ${maxPageSize}, default 20` }),
    ),
    cursor: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

const DeletedSchema = Type.Object({ id: Type.String(), status: Type.Literal('deleted') });

/** Submit, list, read and cancel async export jobs; the download is in export-job-download.ts. */
export const exportJobsRoutes: FastifyPluginAsyncTypebox<ExportJobsRoutesOptions> = async (
  app,
  { jobs, lifecycle, maxLineBytes, links, webhookHosts },
) => {
  const viewOf = (job: JobSnapshot) => jobView(job, links);
  // Its NDJSON body parser leaves the upload a stream: it is spooled to disk as it arrives.
  await app.register(fastifyExport);

  app.post(
    '/export/jobs',
    {
      schema: {
        summary: 'Submit an export job; its file is made in the background',
        security: [{ bearer: [] }],
        body: {
          content: {
            'application/json': { schema: JobBodySchema },
            [ndjsonContentType]: { schema: Type.Unknown({ description: 'one record per line' }) },
          },
        },
        querystring: Type.Optional(Type.Partial(JobQuerySchema)),
        response: {
          202: JobSchema,
          ...errorResponses(400, 401, 413, 415, 429, 500, 503),
        },
      },
    },
    async (request, reply) => {
      if (lifecycle.draining) throw new DrainingError();
      const owner = request.exportUser ?? null;
      let submission: JobSubmission;
      if (isNdjsonRequest(request.headers['content-type'])) {
        const { format, columns, title, csvProfile, timeZone, nullText, unknownFields } =
          ndjsonOptions(request.query);
        const { callbackUrl } = (request.query ?? {}) as { callbackUrl?: string };
        submission = {
          format,
          owner,
          callbackUrl: callbackUrlOf(callbackUrl, 'querystring/callbackUrl', webhookHosts),
          options: { columns, title, csvProfile, timeZone, nullText, unknownFields },
          input: { ndjson: ndjsonUploadOf(request), maxLineBytes },
        };
      } else {
        // No Content-Type and no body: no schema was applied, so nothing was checked.
        if (request.body === undefined) throw new InvalidRequestError(missingBody);
        const { format, columns, title, csvProfile, user, timeZone, nullText, unknownFields } =
          request.body as JobBody;
        const callbackUrl = callbackUrlOf(
          (request.body as JobBody).callbackUrl,
          'body/callbackUrl',
          webhookHosts,
        );
        // Past EXPORT_MAX_ROWS the body parser has refused it already: nothing is written.
        const records = jsonRecordsOf(request);
        submission = {
          format,
          owner,
          callbackUrl,
          options: {
            columns,
            title,
            csvProfile: csvProfile ?? 'excel',
            user,
            timeZone,
            nullText,
            unknownFields,
          },
          input: { json: records.bytes },
        };
      }
      const job = await jobs.enqueue(submission);
      request.log.info({ jobId: job.id, format: job.format, rows: job.totalRows }, 'job accepted');
      const view = viewOf(job);
      return reply.code(202).header('location', view.links.self).send(view);
    },
  );

  app.get(
    '/export/jobs',
    {
      schema: {
        summary: 'List your export jobs, newest first',
        security: [{ bearer: [] }],
        querystring: ListQuerySchema,
        response: { 200: JobListSchema, ...errorResponses(400, 401, 500, 503) },
      },
    },
    async (request) => {
      const { status, format, cursor } = request.query;
      const limit =
        request.query.limit === undefined ? defaultPageSize : Number(request.query.limit);
      if (limit < 1 || limit > maxPageSize) {
        throw new InvalidRequestError(
          `querystring/limit must be from 1 to ${maxPageSize}, got ${limit}`,
        );
      }
      const page = await jobs.list({ viewer: request.exportUser, status, format, limit, cursor });
      return { jobs: page.jobs.map(viewOf), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/export/jobs/:id',
    {
      schema: {
        summary: 'One export job: its status, progress and, once done, its file',
        security: [{ bearer: [] }],
        params: JobParamsSchema,
        response: { 200: JobSchema, ...errorResponses(400, 401, 404, 500, 503) },
      },
    },
    async (request) => {
      const job = await jobs.get(request.params.id, request.exportUser);
      if (!job) throw new JobNotFoundError(request.params.id);
      return viewOf(job);
    },
  );

  app.delete(
    '/export/jobs/:id',
    {
      schema: {
        summary: 'Cancel a queued or running job, or delete a finished one with its file',
        security: [{ bearer: [] }],
        params: JobParamsSchema,
        // A DELETE may carry a body, which is parsed (and ignored): 413 and 415 apply too.
        response: {
          200: Type.Union([JobSchema, DeletedSchema]),
          ...errorResponses(400, 401, 404, 412, 413, 415, 500, 503),
        },
      },
    },
    async (request) => {
      const ifMatch = request.headers['if-match'];
      if (ifMatch !== undefined) {
        // The tag is the file's (the download's ETag): delete only the file the client has.
        const job = await jobs.get(request.params.id, request.exportUser);
        if (!job) throw new JobNotFoundError(request.params.id);
        const holds =
          ifMatch.trim() === '*' ||
          (job.sha256 !== null && matchHolds(ifMatch, entityTagOf(job.sha256)));
        if (!holds) throw new PreconditionFailedError(ifMatch);
      }
      const deletion = await jobs.delete(request.params.id, request.exportUser);
      if (!deletion) throw new JobNotFoundError(request.params.id);
      if (deletion.outcome === 'deleted') return { id: deletion.id, status: 'deleted' as const };
      request.log.info({ jobId: deletion.job.id }, 'job cancelled');
      return viewOf(deletion.job);
    },
  );
};
