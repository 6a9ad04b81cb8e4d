import { describe, expect, it } from 'vitest';
import {
  ClientGoneError,
  ExportFastifyOptionError,
  exportFastifyErrorCodes,
  NotNdjsonUploadError,
} from './errors.js';

describe('the errors of @org/export-fastify', () => {
  it('EXPORT_FASTIFY_INVALID_OPTION says which option, with status 500', () => {
    const error = new ExportFastifyOptionError('option `limiter` must be a limiter');
    expect(error).toMatchObject({
      name: 'FastifyError',
      code: 'EXPORT_FASTIFY_INVALID_OPTION',
      statusCode: 500,
      message: 'option `limiter` must be a limiter',
    });
  });

  it('EXPORT_FASTIFY_NOT_NDJSON names the content type it needs, with status 415', () => {
    expect(new NotNdjsonUploadError()).toMatchObject({
      code: 'EXPORT_FASTIFY_NOT_NDJSON',
      statusCode: 415,
      message: 'the body must be an NDJSON upload (Content-Type: application/x-ndjson)',
    });
  });

  it('EXPORT_FASTIFY_CLIENT_GONE is the abort reason of a client that left, with status 499', () => {
    expect(new ClientGoneError()).toMatchObject({
      code: 'EXPORT_FASTIFY_CLIENT_GONE',
      statusCode: 499,
      message: 'the client closed the connection before the export was sent',
    });
  });

  it('lists every code', () => {
    expect(exportFastifyErrorCodes).toEqual([
      new ExportFastifyOptionError('x').code,
      new NotNdjsonUploadError().code,
      new ClientGoneError().code,
    ]);
  });
});
