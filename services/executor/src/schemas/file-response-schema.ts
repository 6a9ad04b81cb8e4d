import { type ExportFormat, exportFormats } from '@org/export-core';
import { exportContentTypes } from '@org/export-fastify';
import Type from 'typebox';

// Every format's: a format added to export-core fails to compile here until it is described.
const fileDescriptions: Readonly<Record<ExportFormat, string>> = {
  csv: 'the CSV file, UTF-8',
  pdf: 'the PDF file',
  xlsx: 'the XLSX workbook',
};

/**
 * A response that is the export file itself, in any format: declared under its real media
 * types, so the OpenAPI document does not call it JSON. The body is a stream, never serialized.
 */
export function fileResponse(description: string) {
  return {
    description,
    content: Object.fromEntries(
      exportFormats.map((format) => [
        mediaTypeOf(exportContentTypes[format]),
        { schema: Type.String({ format: 'binary', description: fileDescriptions[format] }) },
      ]),
    ),
  };
}

/**
 * What a download of a done job's file may answer besides its errors: the same on the bearer
 * route and through a signed link (send-job-artifact.ts answers both).
 */
export function artifactResponses() {
  return {
    200: fileResponse('the file (CSV, PDF or XLSX)'),
    206: fileResponse('the requested bytes of the file'),
    304: Type.Null({ description: 'the file is the one you have (If-None-Match)' }),
    307: Type.Null({
      description:
        'the file is at the Location header: a presigned URL of the S3 store, valid for 5 minutes (EXPORT_S3_PRESIGNED_DOWNLOADS)',
    }),
  };
}

/** The media type without its parameters (`; charset=utf-8`), as OpenAPI keys content. */
function mediaTypeOf(contentType: string): string {
  return contentType.split(';', 1)[0]?.trim() ?? contentType;
}
