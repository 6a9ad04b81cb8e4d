import createError from '@fastify/error';

/** Every code this package's own errors carry; documented in the README. */
export const exportFastifyErrorCodes = [
  'EXPORT_FASTIFY_INVALID_OPTION',
  'EXPORT_FASTIFY_NOT_NDJSON',
  'EXPORT_FASTIFY_CLIENT_GONE',
] as const;

export type ExportFastifyErrorCode = (typeof exportFastifyErrorCodes)[number];

/**
 * A malformed option of the plugin (thrown at registration) or of `reply.export` (answered as
 * the export's error): a programming error, hence a 500.
 */
export const ExportFastifyOptionError = createError<[string]>(
  'EXPORT_FASTIFY_INVALID_OPTION',
  '%s',
  500,
);

/** The records of an upload were asked for, but the request is not an NDJSON upload. */
export const NotNdjsonUploadError = createError(
  'EXPORT_FASTIFY_NOT_NDJSON',
  'the body must be an NDJSON upload (Content-Type: application/x-ndjson)',
  415,
);

/**
 * The reason an export's signal aborts when its client closes the connection. Its status is
 * nginx's 499 "client closed request": it names the outcome in logs, and is never sent.
 */
export const ClientGoneError = createError(
  'EXPORT_FASTIFY_CLIENT_GONE',
  'the client closed the connection before the export was sent',
  499,
);
