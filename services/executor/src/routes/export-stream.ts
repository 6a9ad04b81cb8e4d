import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { DrainingError, InvalidRequestError } from '../errors.js';
import { abortOnClientGone } from '../exports/abort-on-client-gone.js';
import { attachmentDisposition, contentTypeOf } from '../exports/attachment-filename.js';
import {
  type ExportContext,
  type ExportRequest,
  executeExport,
  lossesOf,
} from '../exports/execute-export.js';
import { jsonRecordsOf } from '../exports/json-export-body.js';
import {
  isNdjsonRequest,
  missingBody,
  ndjsonContentType as ndjson,
  ndjsonOptions,
} from '../exports/ndjson-options.js';
import { ndjsonUploadChunks } from '../exports/ndjson-upload.js';
import { guardUploadRate, type MinimumUploadRate } from '../exports/upload-rate-guard.js';
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
  // The upload stays a stream: the export reads it line by line as the client sends it.
  app.addContentTypeParser(ndjson, (_request, payload, done) => done(null, payload));

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
          200: fileResponse('the CSV or PDF file, sent while it is produced'),
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
      let uploadRate: ReturnType<typeof guardUploadRate> | undefined;
      if (isNdjson) {
        const upload = request.body as Readable;
        uploadRate = guardUploadRate({
          upload,
          request: request.raw,
          chunks: ndjsonUploadChunks(upload),
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
      const output = new PassThrough();
      let markStarted = () => {};
      const started = new Promise<void>((resolve) => {
        markStarted = resolve;
      });
      const running = executeExport(context, {
        id,
        log: request.log,
        format: options.format,
        source,
        columns: options.columns,
        title: options.title,
        user: request.exportUser ?? (isNdjson ? undefined : (request.body as ExportBody).user),
        csvProfile: options.csvProfile,
        values: {
          timeZone: options.timeZone,
          nullText: options.nullText,
          unknownFields: options.unknownFields,
        },
        destination: output,
        signal: uploadRate
          ? AbortSignal.any([abortOnClientGone(reply), uploadRate.signal])
          : abortOnClientGone(reply),
        onStart: () => {
          uploadRate?.start();
          markStarted();
        },
      });
      // Cut for trickling: the cut, not the abort it caused, is the answer (408).
      const exported = running.then(
        (result) => {
          uploadRate?.stop();
          return result;
        },
        (error: unknown) => {
          uploadRate?.stop();
          throw uploadRate?.signal.aborted ? uploadRate.signal.reason : error;
        },
      );
      // Refused, or failed before its first bytes (a bad first line, say): an ordinary JSON
      // error (400, 429, 503, …). Only once bytes exist is the 200 committed.
      await Promise.race([started, exported]);
      // The output errors when its export fails; the export's own error says why, with its code.
      const firstBytes = once(output, 'readable').then(
        () => true,
        () => false,
      );
      if (!(await Promise.race([firstBytes, exported.then(() => true)]))) await exported;
      exported.then(
        (result) =>
          request.log.info(
            {
              exportId: id,
              format: options.format,
              rows: result.rows,
              bytes: result.bytes,
              ...lossesOf(result),
              outcome: 'success',
            },
            'export streamed',
          ),
        (error: unknown) => {
          // Headers are gone: cutting the connection is the only way to say the file is incomplete.
          request.log.warn({ exportId: id, err: error }, 'export failed while streaming');
          output.destroy(error as Error);
        },
      );
      return reply
        .header('content-type', contentTypeOf(options.format))
        .header('content-disposition', attachmentDisposition(id, options.format))
        .header('x-export-id', id)
        .send(output);
    },
  );
};
