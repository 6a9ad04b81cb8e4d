import { exportErrorStatuses } from '@org/export-fastify';
import type { FastifyError } from 'fastify';
import { refusalMessageOf } from './refusal-messages.js';

/** What of an error a client may be told, whoever raised it and however it is sent. */
export interface ExposedError {
  /** The HTTP status it answers with; 500 when it is the executor's fault. */
  statusCode: number;
  code: string;
  message: string;
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

// The code families clients are told about (docs/api.md); a 500 answers with no other.
const ownCode = /^(EXECUTOR|EXPORT|LIMITER)_[A-Z_]+$/;

/**
 * The code, status and message an error is shown with: to an HTTP client (error-response.ts)
 * and in a failed job's record alike.
 */
export function exposedError(error: unknown): ExposedError {
  const coded = error as Partial<FastifyError> & { code?: string };
  const rawCode = typeof coded?.code === 'string' ? coded.code : undefined;
  const code = (rawCode && fastifyCodes[rawCode]) ?? rawCode ?? 'EXECUTOR_INTERNAL';
  const ownStatus = typeof coded?.statusCode === 'number' ? coded.statusCode : 500;
  const statusCode: number =
    (rawCode ? statusByCode[rawCode] : undefined) ?? (ownStatus >= 400 ? ownStatus : 500);
  // A 500 is the server's fault: its message (paths, library internals) stays in the log, and so
  // does a code that is none of ours (a file system's EFBIG, ENOSPC or EACCES, say).
  if (statusCode !== 500) {
    const message = refusalMessageOf(error) ?? String(coded?.message ?? 'unknown error');
    return { statusCode, code, message };
  }
  return {
    statusCode,
    code: ownCode.test(code) ? code : 'EXECUTOR_INTERNAL',
    message: 'the executor failed to complete the request; the error is logged',
  };
}
