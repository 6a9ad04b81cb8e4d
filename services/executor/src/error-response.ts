import { STATUS_CODES } from 'node:http';
import { exposedError } from './exposed-error.js';

export interface ErrorResponse {
  statusCode: number;
  code: string;
  error: string;
  message: string;
  [detail: string]: unknown;
}

/** One JSON shape for every error on every route: statusCode, code, error, message. */
export function errorResponse(error: unknown): ErrorResponse {
  const { statusCode, code, message } = exposedError(error);
  const response: ErrorResponse = {
    statusCode,
    code,
    // Node's own phrases, for every status (403, 412 and 417 included).
    error: STATUS_CODES[statusCode] ?? 'Error',
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
