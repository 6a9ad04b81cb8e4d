import createError from '@fastify/error';

/** Every error the executor itself raises; codes are documented in docs/architecture.md. */
export const InvalidConfigError = createError<[string]>('EXECUTOR_INVALID_CONFIG', '%s', 500);
