import { describe, expect, it } from 'vitest';
import { errorResponse } from '../src/error-response.js';
import {
  ExpectationFailedError,
  LinkInvalidError,
  PreconditionFailedError,
  TooManyRowsError,
} from '../src/errors.js';

function systemError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: failed, write '/var/exports/jobs/x/input.ndjson'`), {
    code,
  });
}

describe('errorResponse', () => {
  it.each(['EFBIG', 'ENOSPC', 'EACCES'])(
    'answers a file system error (%s) with EXECUTOR_INTERNAL and a generic message',
    (code) => {
      expect(errorResponse(systemError(code))).toEqual({
        statusCode: 500,
        code: 'EXECUTOR_INTERNAL',
        error: 'Internal Server Error',
        message: 'the executor failed to complete the request; the error is logged',
      });
    },
  );

  it.each([
    [new LinkInvalidError('its signature does not match'), 403, 'Forbidden'],
    [new PreconditionFailedError('"x"'), 412, 'Precondition Failed'],
    [new ExpectationFailedError('gzip'), 417, 'Expectation Failed'],
  ])('names the status of %s in words (%i %s)', (error, statusCode, phrase) => {
    expect(errorResponse(error)).toMatchObject({ statusCode, error: phrase });
  });

  it('keeps an own code on a 500', () => {
    const error = Object.assign(new Error('disk full'), { code: 'EXPORT_WRITE_FAILED' });
    expect(errorResponse(error)).toMatchObject({ statusCode: 500, code: 'EXPORT_WRITE_FAILED' });
  });

  it('keeps the code and message of a client error', () => {
    expect(errorResponse(new TooManyRowsError(10))).toMatchObject({
      statusCode: 413,
      code: 'EXECUTOR_TOO_MANY_ROWS',
      message: 'the export has more than 10 rows (EXPORT_MAX_ROWS); nothing was kept',
    });
  });
});
