import type { ExportPool } from '@org/export-core';
import type { FastifyRequest } from 'fastify';
import {
  InvalidJsonError,
  InvalidRequestError,
  RecordTooLargeError,
  WorkerOutOfMemoryError,
} from '../errors.js';
import { ExportBodySchema } from '../schemas/export-request-schema.js';

/** Where the records of a JSON export body are: bytes for a worker to parse, never objects here. */
export interface JsonExportRecords {
  /** The `data` array's bytes, over a SharedArrayBuffer so that workers read them without a copy. */
  bytes: Uint8Array;
  count: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set for a JSON body: its `data`, which the parsed body holds only as an empty array. */
    exportRecords: JsonExportRecords | undefined;
  }
}

// A stand-in of the same JSON type, so the route's schema says what it says of a wrong `data`.
const standIns = { object: {}, string: '', number: 0, boolean: false, null: null } as const;

// The members the export bodies know; any other is refused by the schema, so it is not parsed.
const knownMembers: ReadonlySet<string> = new Set(Object.keys(ExportBodySchema.properties));
// Far above what the schema lets a member be (1,000 columns of 200 characters): a longer one is
// refused unparsed, so this thread never parses much of a body.
const maxMemberBytes = 1024 * 1024;

/**
 * The JSON body parser of the export routes. One record may be as long as an NDJSON line
 * (`maxRecordBytes`): a worker then never has to parse anything far larger than that at once. A worker checks the whole body in one pass; this
 * thread gets its other members, which the route's schema then validates as usual, and where
 * the records are. A 64 MB body costs this event loop a copy, not a parse.
 */
export function jsonExportBodyParser(pool: ExportPool, maxRecordBytes: number) {
  return async (request: FastifyRequest, body: Buffer): Promise<unknown> => {
    if (body.length === 0) throw new InvalidJsonError('body is empty; a JSON object is expected');
    const bytes = new Uint8Array(new SharedArrayBuffer(body.length));
    bytes.set(body);
    let inspection: Awaited<ReturnType<ExportPool['inspectJson']>>;
    try {
      inspection = await pool.inspectJson(bytes, { recordsKey: 'data', maxRecordBytes });
    } catch (error) {
      throw bodyError(error, maxRecordBytes, pool);
    }
    const { members, records } = inspection;
    const fields = membersOf(body, members);
    if (records?.type === 'array') {
      request.exportRecords = {
        bytes: bytes.subarray(records.start, records.end),
        count: records.count,
      };
      return { ...fields, data: [] };
    }
    return records === undefined ? fields : { ...fields, data: standIns[records.type] };
  };
}

/** The body's members but `data`, parsed here from their bytes: small, or refused unread. */
function membersOf(
  body: Buffer,
  members: Record<string, { start: number; end: number }>,
): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, { start, end }] of Object.entries(members)) {
    if (!knownMembers.has(key)) {
      fields[key] = null;
      continue;
    }
    if (end - start > maxMemberBytes) {
      throw new InvalidRequestError(`body/${key} is longer than ${maxMemberBytes} bytes`);
    }
    // No `__proto__` key gets this far: the worker's check refuses the body.
    fields[key] = JSON.parse(body.toString('utf8', start, end));
  }
  return fields;
}

function bodyError(error: unknown, maxRecordBytes: number, pool: ExportPool): unknown {
  const { code, message, row } = error as { code?: string; message?: string; row?: number };
  if (code === 'EXPORT_WORKER_OUT_OF_MEMORY') {
    return new WorkerOutOfMemoryError(pool.options.maxHeapMb);
  }
  if (code === 'EXPORT_INVALID_RECORD' && row !== undefined) {
    if (message?.includes('longer than')) return new RecordTooLargeError(row, maxRecordBytes);
    return new InvalidRequestError(`body/data/${row} must be a JSON object or an array`);
  }
  if (code !== 'EXPORT_INVALID_JSON') return error;
  if (message?.includes('__proto__')) {
    return new InvalidJsonError('body must not have a `__proto__` or `constructor.prototype` key');
  }
  // Valid JSON, but not an object: said as the schema says it.
  if (message?.startsWith('a JSON object was expected')) {
    return new InvalidRequestError('body must be object');
  }
  return new InvalidJsonError(`body is not valid JSON: ${message}`);
}

/** The records of a validated JSON export body. */
export function jsonRecordsOf(request: FastifyRequest): JsonExportRecords {
  // Set by the parser for every JSON body whose `data` is an array, which the schema requires.
  if (!request.exportRecords) throw new InvalidRequestError('body/data must be array');
  return request.exportRecords;
}
