import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ExportResult } from '@org/export-core';
import { fastifyExport, ndjsonContentType as ndjson, ndjsonUploadOf } from '@org/export-fastify';
import Type from 'typebox';
import { DrainingError, InvalidRequestError } from '../errors.js';
import {
  type ExportContext,
  type ExportRequest,
  executeExport,
} from '../exports/execute-export.js';
import { jsonRecordsOf } from '../exports/json-export-body.js';
import { isNdjsonRequest, missingBody, ndjsonOptions } from '../exports/ndjson-options.js';
import {
  guardUploadRate,
  type MinimumUploadRate,
  type UploadRateGuard,
} from '../exports/upload-rate-guard.js';
import type { ExecutorLifecycle } from '../lifecycle.js';
import { errorResponses } from '../schemas/error-schema.js';
import {
  type ExportBody,
  ExportBodySchema,
  ExportQuerySchema,
} from '../schemas/export-request-schema.js';
import { fileResponse } from '../schemas/file-response-schema.js';

export interface ExportStreamRoutesOptions {
  context: ExportContext;
  lifecycle: ExecutorLifecycle;
  maxLineBytes: number;
  /** An NDJSON upload holds its slot while it arrives: the pace it must keep meanwhile. */
  minUploadRate: MinimumUploadRate;
}

/**
 * The file itself as the response, produced while it is sent. A JSON body as for /export/run,
 * or an NDJSON upload read as it arrives (options in the query string), never held in memory.
 */
export const exportStreamRoutes: FastifyPluginAsyncTypebox<ExportStreamRoutesOptions> = async (
  app,
  { context, lifecycle, maxLineBytes, minUploadRate },
) => {
  // reply.export, and an NDJSON body parser that leaves the upload a stream: the export reads
  // it line by line as the client sends it. No limiter or metrics of the plugin's own:
  // executeExport runs every export through the executor's, shared with the other routes.
  await app.register(fastifyExport);

  app.post(
    '/export/stream',
    {
      schema: {
        summary: 'Export records and stream the file back as it is produced',
        security: [{ bearer: [] }],
        body: {
          content: {
            'application/json': { schema: ExportBodySchema },
            [ndjson]: { schema: Type.Unknown({ description: 'one JSON record per line' }) },
          },
        },
        querystring: Type.Optional(Type.Partial(ExportQuerySchema)),
        response: {
          200: fileResponse('the file (CSV, PDF or XLSX), sent while it is produced'),
          ...errorResponses(400, 401, 408, 413, 415, 429, 500, 503, 504),
        },
      },
    },
    async (request, reply) => {
      if (lifecycle.draining) throw new DrainingError();
      const isNdjson = isNdjsonRequest(request.headers['content-type']);
      // No Content-Type and no body: no schema was applied, so nothing was checked.
      if (!isNdjson && request.body === undefined) throw new InvalidRequestError(missingBody);
      const options = isNdjson ? ndjsonOptions(request.query) : (request.body as ExportBody);
      let source: ExportRequest['source'];
      let uploadRate: UploadRateGuard | undefined;
      if (isNdjson) {
        uploadRate = guardUploadRate({
          upload: request.body as Readable,
          request: request.raw,
          chunks: ndjsonUploadOf(request),
          rate: minUploadRate,
          log: request.log,
        });
        source = { ndjson: uploadRate.chunks, maxLineBytes };
      } else {
        // Past EXPORT_MAX_ROWS the body parser has refused it already (json-export-body.ts).
        const records = jsonRecordsOf(request);
        source = { json: records.bytes };
      }
      const id = randomUUID();
      const user = request.exportUser ?? (isNdjson ? undefined : (request.body as ExportBody).user);
      // The plugin sends the file once it has its first bytes, answers an earlier failure as an
      // error (400, 429, 503, …) and cuts the connection for a later one.
      return reply.export({
        format: options.format,
        filename: `export-${id}.${options.format}`,
        headers: { 'x-export-id': id },
        log: request.log.child({ exportId: id }),
        run: ({ destination, signal }) =>
          uploadCutAnswered(
            uploadRate,
            executeExport(context, {
              id,
              log: request.log,
              format: options.format,
              source,
              columns: options.columns,
              title: options.title,
              user,
              csvProfile: options.csvProfile,
              values: {
                timeZone: options.timeZone,
                nullText: options.nullText,
                unknownFields: options.unknownFields,
              },
              destination,
              signal: uploadRate ? AbortSignal.any([signal, uploadRate.signal]) : signal,
              onStart: () => uploadRate?.start(),
            }),
          ),
      });
    },
  );
};

/** Cut for trickling: the cut, not the abort it caused, is the answer (408). */
function uploadCutAnswered(
  uploadRate: UploadRateGuard | undefined,
  running: Promise<ExportResult>,
): Promise<ExportResult> {
  return running.then(
    (result) => {
      uploadRate?.stop();
      return result;
    },
    (error: unknown) => {
      uploadRate?.stop();
      throw uploadRate?.signal.aborted ? uploadRate.signal.reason : error;
    },
  );
}
