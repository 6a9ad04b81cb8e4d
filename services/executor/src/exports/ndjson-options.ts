import {
  type CsvProfile,
  type ExportFormat,
  exportFormats,
  isExportFormat,
  type UnknownFieldPolicy,
} from '@org/export-core';
import { ndjsonContentType } from '@org/export-fastify';
import { InvalidRequestError } from '../errors.js';
import {
  type ExportQuery,
  maxColumnKeyLength,
  maxColumns,
} from '../schemas/export-request-schema.js';

export interface NdjsonExportOptions {
  format: ExportFormat;
  columns: string[] | undefined;
  title: string | undefined;
  csvProfile: CsvProfile;
  /** Passed on as given; absent, the export's default (UTC) applies. */
  timeZone: string | undefined;
  /** Passed on as given; absent, the export's default (the empty string) applies. */
  nullText: string | undefined;
  /** Passed on as given; absent, the export's default (report) applies. */
  unknownFields: UnknownFieldPolicy | undefined;
}

/** The options of an NDJSON upload, which come in the query string since the body is records. */
export function ndjsonOptions(query: unknown): NdjsonExportOptions {
  const { format, columns, title, csvProfile, timeZone, nullText, unknownFields } = (query ??
    {}) as Partial<ExportQuery>;
  if (!isExportFormat(format)) {
    throw new InvalidRequestError(
      `querystring/format must be one of ${exportFormats.join(', ')} for an NDJSON upload`,
    );
  }
  return {
    format,
    columns: queryColumns(columns),
    title,
    csvProfile: csvProfile === 'rfc4180' ? 'rfc4180' : 'excel',
    timeZone,
    nullText,
    unknownFields,
  };
}

/**
 * The keys of `columns`, never trimmed (` amount` is not `amount`). One value is split on
 * commas, or read as a JSON array of strings when it starts with `[` (for a key with a comma);
 * a repeated parameter is one key per value, as it is.
 */
export function queryColumns(
  columns: string | readonly string[] | undefined,
): string[] | undefined {
  if (columns === undefined) return undefined;
  const keys =
    typeof columns !== 'string'
      ? [...columns]
      : columns.startsWith('[')
        ? jsonKeys(columns)
        : columns.split(',');
  if (keys.length === 0) {
    throw new InvalidRequestError('querystring/columns must name at least one key');
  }
  if (keys.length > maxColumns) {
    throw new InvalidRequestError(`querystring/columns must not have more than ${maxColumns} keys`);
  }
  keys.forEach((key, index) => {
    if (key === '') {
      throw new InvalidRequestError(
        `querystring/columns/${index} is an empty key: keys are separated by single commas, and never trimmed`,
      );
    }
    if (key.length > maxColumnKeyLength) {
      throw new InvalidRequestError(
        `querystring/columns/${index} must not have more than ${maxColumnKeyLength} characters`,
      );
    }
  });
  return keys;
}

function jsonKeys(text: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InvalidRequestError(
      `querystring/columns starts with [ but is not a JSON array: ${(error as Error).message}`,
    );
  }
  if (!Array.isArray(parsed)) {
    throw new InvalidRequestError('querystring/columns starts with [ but is not a JSON array');
  }
  parsed.forEach((key: unknown, index) => {
    if (typeof key !== 'string') {
      throw new InvalidRequestError(`querystring/columns/${index} must be string`);
    }
  });
  return parsed as string[];
}

/** The 400 for a request with neither a JSON body nor an NDJSON upload. */
export const missingBody =
  'body must be a JSON object (application/json) or an NDJSON upload (application/x-ndjson)';

/** Whether the request says it is an NDJSON upload, before its body is read. */
export function isNdjsonRequest(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === ndjsonContentType;
}
