import { exposedError } from './exposed-error.js';

export interface ErrorResponse {
  statusCode: number;
  code: string;
  error: string;
  message: string;
  [detail: string]: unknown;
}

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

/** One JSON shape for every error on every route: statusCode, code, error, message. */
export function errorResponse(error: unknown): ErrorResponse {
  const { statusCode, code, message } = exposedError(error);
  const response: ErrorResponse = {
    statusCode,
    code,
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
