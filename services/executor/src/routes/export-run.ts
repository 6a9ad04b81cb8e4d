import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { abortOnClientGone } from '@org/export-fastify';
import Type from 'typebox';
import { DrainingError } from '../errors.js';
import { type ExportContext, executeExport } from '../exports/execute-export.js';
import { jsonRecordsOf } from '../exports/json-export-body.js';
import type { ExecutorLifecycle } from '../lifecycle.js';
import { errorResponses } from '../schemas/error-schema.js';
import { DroppedFieldsSchema, TruncatedCellsSchema } from '../schemas/export-losses-schema.js';
import { ExportBodySchema } from '../schemas/export-request-schema.js';

export interface ExportRunRoutesOptions {
  context: ExportContext;
  lifecycle: ExecutorLifecycle;
  exportDirectory: string;
}

const RunResponse = Type.Object({
  success: Type.Literal(true),
  result: Type.Object({
    id: Type.String(),
    filename: Type.String(),
    bytes: Type.Integer(),
    rows: Type.Integer(),
    sha256: Type.String(),
    droppedFields: DroppedFieldsSchema,
    truncatedCells: TruncatedCellsSchema,
  }),
  processingTime: Type.Number({ description: 'milliseconds' }),
  records: Type.Integer(),
});

/** The earlier system's synchronous API: the file is written, then described. */
export const exportRunRoutes: FastifyPluginAsyncTypebox<ExportRunRoutesOptions> = async (
  app,
  { context, lifecycle, exportDirectory },
) => {
  app.post(
    '/export/run',
    {
      schema: {
        summary: 'Export records to a file in the export folder and describe it',
        security: [{ bearer: [] }],
        body: ExportBodySchema,
        response: {
          200: RunResponse,
          ...errorResponses(400, 401, 413, 415, 429, 500, 503, 504),
        },
      },
    },
    async (request, reply) => {
      if (lifecycle.draining) throw new DrainingError();
      const { format, columns, title, csvProfile, timeZone, nullText, unknownFields } =
        request.body;
      // Past EXPORT_MAX_ROWS the body parser has refused it already (json-export-body.ts).
      const records = jsonRecordsOf(request);
      const user = request.exportUser ?? request.body.user;
      const id = randomUUID();
      const filename = `${id}.${format}`;
      const result = await executeExport(context, {
        id,
        log: request.log,
        format,
        source: { json: records.bytes },
        columns,
        title,
        user,
        csvProfile,
        values: { timeZone, nullText, unknownFields },
        destination: join(exportDirectory, filename),
        signal: abortOnClientGone(reply),
      });
      return {
        success: true as const,
        result: {
          id,
          filename,
          bytes: result.bytes,
          rows: result.rows,
          sha256: result.sha256,
          droppedFields: result.droppedFields,
          truncatedCells: result.truncatedCells,
        },
        processingTime: Math.round(result.durationMs),
        records: result.rows,
      };
    },
  );
};
