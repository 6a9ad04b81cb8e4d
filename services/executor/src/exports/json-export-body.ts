import type { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  defaultMaxRecordDepth,
  type JsonDocumentInspection,
  JsonDocumentInspector,
} from '@org/export-core';
import { errorCodes, type FastifyRequest } from 'fastify';
import {
  InvalidJsonError,
  InvalidRequestError,
  RecordTooLargeError,
  TooManyRowsError,
} from '../errors.js';
import { JobBodySchema } from '../schemas/export-request-schema.js';

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

// The members the export bodies know (a job's has them all); any other is refused by the
// schema, so it is not parsed.
const knownMembers: ReadonlySet<string> = new Set(Object.keys(JobBodySchema.properties));
// Far above what the schema lets a member be (1,000 columns of 200 characters): a longer one is
// refused unparsed, so this thread never parses much of a body.
const maxMemberBytes = 1024 * 1024;

// Fastify's own refusals, so that these bodies are answered as every other (error-response.ts).
const { FST_ERR_CTP_BODY_TOO_LARGE, FST_ERR_CTP_INVALID_CONTENT_LENGTH } = errorCodes;
// One scan step: small enough that /health is answered between two of them.
const scanStepBytes = 64 * 1024;

export interface JsonExportBodyOptions {
  /** The most one record may have, as one NDJSON line (EXPORT_MAX_LINE_BYTES). */
  maxRecordBytes: number;
  /** EXPORT_MAX_ROWS: record maxRows + 1 stops the body where it is read. */
  maxRows: number;
}

/**
 * The JSON body parser of the export routes. The body is checked as it arrives, a step of at
 * most 64 KiB at a time, by one incremental scan that also locates the records: a limit passed
 * (EXPORT_MAX_ROWS, one record longer than an NDJSON line may be) refuses the body at that step,
 * so a hostile body costs what was read of it, not the whole of it; the error handler answers
 * at once and drops the rest unread. The route's schema then validates the other members as
 * usual; the records stay bytes, over a SharedArrayBuffer that the export's worker shares.
 */
export function jsonExportBodyParser({ maxRecordBytes, maxRows }: JsonExportBodyOptions) {
  return async (request: FastifyRequest, payload: Readable): Promise<unknown> => {
    const bodyLimit = request.routeOptions.bodyLimit ?? Number.POSITIVE_INFINITY;
    const declaredLength = Number(request.headers['content-length']);
    if (declaredLength > bodyLimit) throw new FST_ERR_CTP_BODY_TOO_LARGE();
    const inspector = new JsonDocumentInspector({
      recordsKey: 'data',
      maxRecordBytes,
      maxRecords: maxRows,
    });
    const chunks: Buffer[] = [];
    let received = 0;
    let inspection: JsonDocumentInspection;
    try {
      // Left open when it stops early: the error handler answers, then reads and drops the rest.
      for await (const chunk of payload.iterator({
        destroyOnReturn: false,
      }) as AsyncIterable<Buffer>) {
        received += chunk.length;
        if (received > bodyLimit) throw new FST_ERR_CTP_BODY_TOO_LARGE();
        chunks.push(chunk);
        for (let start = 0; start < chunk.length; start += scanStepBytes) {
          // A socket's chunks are 64 KiB at most; a larger one (an injected body) is cut.
          if (start > 0) await nextTurn();
          inspector.push(chunk.subarray(start, start + scanStepBytes));
        }
      }
      if (!Number.isNaN(declaredLength) && received !== declaredLength) {
        throw new FST_ERR_CTP_INVALID_CONTENT_LENGTH();
      }
      if (received === 0) throw new InvalidJsonError('body is empty; a JSON object is expected');
      inspection = inspector.finish();
    } catch (error) {
      throw bodyError(error, maxRecordBytes, maxRows);
    }
    const bytes = sharedCopyOf(chunks, received);
    const { members, records } = inspection;
    const fields = membersOf(Buffer.from(bytes.buffer), members);
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

/** The body in one SharedArrayBuffer, so that workers read it without a copy. */
function sharedCopyOf(chunks: Buffer[], length: number): Uint8Array {
  const bytes = new Uint8Array(new SharedArrayBuffer(length));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
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

function bodyError(error: unknown, maxRecordBytes: number, maxRows: number): unknown {
  const { code, message, row, offset } = error as {
    code?: string;
    message?: string;
    row?: number;
    offset?: number;
  };
  if (code === 'EXPORT_TOO_MANY_ROWS') return new TooManyRowsError(maxRows);
  if (message?.includes('nested deeper')) {
    // A record: the library's own words ("record 2 is nested deeper…"), as NDJSON says it.
    if (code === 'EXPORT_INVALID_RECORD') return error;
    return new InvalidRequestError(
      `body has a value nested deeper than ${defaultMaxRecordDepth} levels at byte ${offset}`,
    );
  }
  if (code === 'EXPORT_INVALID_RECORD' && row !== undefined) {
    if (message?.includes('longer than')) return new RecordTooLargeError(row, maxRecordBytes);
    return new InvalidRequestError(`body/data/${row} must be a JSON object or an array`);
  }
  if (code === 'EXPORT_INVALID_JSON') return invalidJson(message);
  if (code?.startsWith('EXPORT_')) return error;
  // The upload failed (cut, timed out): a request error, as Fastify says of its own body reader.
  const status = (error as { statusCode?: unknown })?.statusCode;
  if (error instanceof Error && !(typeof status === 'number' && status >= 400)) {
    Object.assign(error, { statusCode: 400 });
  }
  return error;
}

function invalidJson(message: string | undefined): Error {
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
