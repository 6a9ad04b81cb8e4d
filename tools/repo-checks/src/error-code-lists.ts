import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportErrorCodes } from '@org/export-core';
import { exportFastifyErrorCodes } from '@org/export-fastify';
import { limiterErrorCodes } from '@org/export-limiter';
import { exportMetricsErrorCodes } from '@org/export-metrics';
import { repositoryRoot } from './repository.js';

const executorCodeLiteral = /'(EXECUTOR_[A-Z0-9_]+)'/g;

/**
 * The executor is an app, not a package: it exports no list of its codes. They are the ones its
 * error module creates (`createError('EXECUTOR_…', …)`) and the ones its exposed error renames
 * Fastify's errors to, or falls back on (EXECUTOR_INTERNAL).
 */
export function executorErrorCodes(): string[] {
  const files = ['services/executor/src/errors.ts', 'services/executor/src/exposed-error.ts'];
  const codes = files.flatMap((file) =>
    [...readFileSync(join(repositoryRoot, file), 'utf8').matchAll(executorCodeLiteral)].map(
      (match) => match[1] as string,
    ),
  );
  return [...new Set(codes)].sort();
}

/** Every error code that exists, by who raises it: the published lists, and the executor's. */
export function errorCodeLists(): Record<string, readonly string[]> {
  return {
    '@org/export-core': exportErrorCodes,
    '@org/export-fastify': exportFastifyErrorCodes,
    '@org/export-limiter': limiterErrorCodes,
    '@org/export-metrics': exportMetricsErrorCodes,
    executor: executorErrorCodes(),
  };
}
