import createError from '@fastify/error';

/** The store cannot be reached now (S3 down, a network fault): retry shortly. */
export const StoreUnavailableError = createError<[string]>(
  'EXECUTOR_STORE_UNAVAILABLE',
  'the artifact store is unreachable: %s; retry shortly',
  503,
);
/** The store as configured cannot work (no such bucket, access denied): found at boot. */
export const StoreMisconfiguredError = createError<[string]>(
  'EXECUTOR_STORE_MISCONFIGURED',
  '%s',
  500,
);
/** An object the executor wrote is gone (deleted behind its back, or swept). */
export const StoreObjectMissingError = createError<[string]>(
  'EXECUTOR_STORE_OBJECT_MISSING',
  'the stored object %s is missing',
  404,
);
