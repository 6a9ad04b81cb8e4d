import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { fastifyExport } from './fastify-export.js';
import { fastifyExportDefaults, normalizePluginOptions } from './normalize-plugin-options.js';

function optionError(options: unknown): unknown {
  try {
    normalizePluginOptions(options as never);
  } catch (error) {
    return error;
  }
  throw new Error('expected the options to be refused');
}

describe('the plugin options', () => {
  it('default to no limiter, no metrics and NDJSON lines of 1 MiB nesting 64 deep', () => {
    expect(normalizePluginOptions()).toEqual({
      limiter: undefined,
      limiterKey: undefined,
      metrics: undefined,
      ndjson: { maxLineBytes: 1024 * 1024, maxDepth: 64 },
    });
    expect(fastifyExportDefaults.ndjson.maxLineBytes).toBe(1024 * 1024);
  });

  it.each([
    [{ limiter: {} }, 'option `limiter` must be an @org/export-limiter limiter, got an object'],
    [{ limiterKey: 'user' }, 'option `limiterKey` must be a function of the request, got "user"'],
    [
      { metrics: {} },
      'option `metrics` must be the families of createExportMetrics, got an object',
    ],
    [{ ndjson: 5 }, 'option `ndjson` must be an object, got 5'],
    [
      { ndjson: { maxLineBytes: 0 } },
      'option `ndjson.maxLineBytes` must be an integer >= 1, got 0',
    ],
    [
      { ndjson: { maxDepth: 1.5 } },
      'option `ndjson.maxDepth` must be an integer >= 1 or Infinity, got 1.5',
    ],
  ])('refuse %o with EXPORT_FASTIFY_INVALID_OPTION naming it', (options, message) => {
    expect(optionError(options)).toMatchObject({
      name: 'FastifyError',
      code: 'EXPORT_FASTIFY_INVALID_OPTION',
      statusCode: 500,
      message,
    });
  });

  it('fail the registration, before any request', async () => {
    const app = Fastify({ logger: false });
    await expect(
      app.register(fastifyExport, { ndjson: { maxLineBytes: -1 } }).ready(),
    ).rejects.toMatchObject({ code: 'EXPORT_FASTIFY_INVALID_OPTION' });
    await app.close();
  });
});
