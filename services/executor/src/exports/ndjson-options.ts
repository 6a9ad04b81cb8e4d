import type { ExportFormat } from '@org/export-core';
import { InvalidRequestError } from '../errors.js';

export interface NdjsonExportOptions {
  format: ExportFormat;
  columns: string[] | undefined;
  title: string | undefined;
  csvProfile: 'excel' | 'rfc4180';
}

/** The options of an NDJSON upload, which come in the query string since the body is records. */
export function ndjsonOptions(query: unknown): NdjsonExportOptions {
  const { format, columns, title, csvProfile } = (query ?? {}) as Partial<
    Record<'format' | 'columns' | 'title' | 'csvProfile', string>
  >;
  if (format !== 'csv' && format !== 'pdf') {
    throw new InvalidRequestError('querystring/format must be csv or pdf for an NDJSON upload');
  }
  return {
    format,
    columns: columns
      ?.split(',')
      .map((key) => key.trim())
      .filter((key) => key !== ''),
    title,
    csvProfile: csvProfile === 'rfc4180' ? 'rfc4180' : 'excel',
  };
}

export const ndjsonContentType = 'application/x-ndjson';

/** The 400 for a request with neither a JSON body nor an NDJSON upload. */
export const missingBody =
  'body must be a JSON object (application/json) or an NDJSON upload (application/x-ndjson)';

export function isNdjsonRequest(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === ndjsonContentType;
}
