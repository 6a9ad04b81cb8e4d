import { exportErrorStatuses } from '@org/export-fastify';
import type { FastifyError } from 'fastify';

export interface ErrorResponse {
  statusCode: number;
  code: string;
  error: string;
  message: string;
  [detail: string]: unknown;
}

// Library codes answer with the status @org/export-fastify gives them (reply.export sets it
// too), but for these. A code not listed anywhere is a server error.
const statusByCode: Readonly<Record<string, number>> = {
  ...exportErrorStatuses,
  // The executor's sources are the client's bytes: a source that fails is a bad upload.
  EXPORT_SOURCE_FAILED: 400,
  // Fastify says 414; the request is as malformed as any other EXECUTOR_INVALID_REQUEST.
  FST_ERR_MAX_PARAM_LENGTH: 400,
};

// Fastify's own request errors, renamed so clients see one family of codes.
const fastifyCodes: Readonly<Record<string, string>> = {
  FST_ERR_VALIDATION: 'EXECUTOR_INVALID_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'EXECUTOR_INVALID_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'EXECUTOR_INVALID_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'EXECUTOR_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'EXECUTOR_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'EXECUTOR_INVALID_REQUEST',
  FST_ERR_BAD_URL: 'EXECUTOR_INVALID_REQUEST',
  FST_ERR_MAX_PARAM_LENGTH: 'EXECUTOR_INVALID_REQUEST',
};

const reasonPhrases: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

// The code families clients are told about (docs/api.md); a 500 answers with no other.
const ownCode = /^(EXECUTOR|EXPORT|LIMITER)_[A-Z_]+$/;

/** One JSON shape for every error on every route: statusCode, code, error, message. */
export function errorResponse(error: unknown): ErrorResponse {
  const coded = error as Partial<FastifyError> & { code?: string };
  const rawCode = typeof coded?.code === 'string' ? coded.code : undefined;
  const code = (rawCode && fastifyCodes[rawCode]) ?? rawCode ?? 'EXECUTOR_INTERNAL';
  const ownStatus = typeof coded?.statusCode === 'number' ? coded.statusCode : 500;
  const statusCode: number =
    (rawCode ? statusByCode[rawCode] : undefined) ?? (ownStatus >= 400 ? ownStatus : 500);
  // A 500 is the server's fault: its message (paths, library internals) stays in the log, and so
  // does a code that is none of ours (a file system's EFBIG, ENOSPC or EACCES, say).
  const serverFault = statusCode === 500;
  const message = serverFault
    ? 'the executor failed to complete the request; the error is logged'
    : String(coded?.message ?? 'unknown error');
  const response: ErrorResponse = {
    statusCode,
    code: serverFault && !ownCode.test(code) ? 'EXECUTOR_INTERNAL' : code,
    error: reasonPhrases[statusCode] ?? 'Error',
    message,
  };
  const details = error as { retryAfterSeconds?: unknown; queued?: unknown; maxQueue?: unknown };
  for (const name of ['retryAfterSeconds', 'queued', 'maxQueue'] as const) {
    if (typeof details?.[name] === 'number') response[name] = details[name];
  }
  // A draining or timed-out queue clears soon: tell clients when to come back.
  if (response.retryAfterSeconds === undefined && statusCode === 503)
    response.retryAfterSeconds = 5;
  return response;
}
