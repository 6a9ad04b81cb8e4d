import createError from '@fastify/error';

/**
 * Every error the executor itself raises, with its HTTP status; library errors keep their own
 * codes (EXPORT_…, LIMITER_…) and get a status in error-response.ts. Listed in docs/api.md.
 */
export const InvalidConfigError = createError<[string]>('EXECUTOR_INVALID_CONFIG', '%s', 500);
export const InvalidRequestError = createError<[string]>('EXECUTOR_INVALID_REQUEST', '%s', 400);
export const UnauthorizedError = createError(
  'EXECUTOR_UNAUTHORIZED',
  'a valid `Authorization: Bearer <token>` header is required',
  401,
);
export const DrainingError = createError(
  'EXECUTOR_DRAINING',
  'the executor is shutting down and accepts no new exports; retry on another instance',
  503,
);
export const TooManyRowsError = createError<[number]>(
  'EXECUTOR_TOO_MANY_ROWS',
  'the export has more than %d rows (EXPORT_MAX_ROWS); nothing was kept',
  413,
);
export const ExportTimeoutError = createError<[number]>(
  'EXECUTOR_EXPORT_TIMEOUT',
  'the export took longer than %d seconds (EXPORT_JOB_TIMEOUT_S) and was stopped',
  504,
);
export const NotFoundError = createError<[string, string]>(
  'EXECUTOR_NOT_FOUND',
  'no route %s %s',
  404,
);
