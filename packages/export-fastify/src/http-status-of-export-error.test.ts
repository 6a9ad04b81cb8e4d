import { ExportAbortError, ExportError } from '@org/export-core';
import { LimiterClosedError, LimiterQueueFullError } from '@org/export-limiter';
import { describe, expect, it } from 'vitest';
import { ClientGoneError, ExportFastifyOptionError, NotNdjsonUploadError } from './errors.js';
import {
  exportErrorStatuses,
  httpStatusOfExportError,
  retryAfterSecondsOf,
} from './http-status-of-export-error.js';

describe('httpStatusOfExportError', () => {
  it.each([
    'EXPORT_INVALID_RECORD',
    'EXPORT_INVALID_OPTION',
    'EXPORT_NO_COLUMNS',
    'EXPORT_UNKNOWN_FIELD',
    'EXPORT_TABLE_TOO_WIDE',
    'EXPORT_INVALID_JSON',
    'EXPORT_INVALID_UTF8',
    'EXPORT_UNSUPPORTED_FORMAT',
  ] as const)('answers the validation code %s with 400', (code) => {
    expect(httpStatusOfExportError(new ExportError(code, 'bad'))).toBe(400);
  });

  it.each(['EXPORT_TOO_MANY_ROWS', 'EXPORT_LINE_TOO_LONG'] as const)(
    'answers %s, an input too large, with 413',
    (code) => {
      expect(httpStatusOfExportError(new ExportError(code, 'big'))).toBe(413);
    },
  );

  it('answers a full queue with 429 and says when to retry', () => {
    const error = new LimiterQueueFullError({ queued: 3, maxQueue: 3, retryAfterSeconds: 7 });
    expect(httpStatusOfExportError(error)).toBe(429);
    expect(retryAfterSecondsOf(error)).toBe(7);
  });

  it('answers LIMITER_KEY_QUEUE_FULL with 429 too', () => {
    expect(exportErrorStatuses.LIMITER_KEY_QUEUE_FULL).toBe(429);
  });

  it('answers a closed limiter and an aborted export with 503', () => {
    expect(httpStatusOfExportError(new LimiterClosedError())).toBe(503);
    expect(httpStatusOfExportError(new ExportAbortError())).toBe(503);
  });

  it('answers a failed source, a failed write and an internal error with 500', () => {
    for (const code of [
      'EXPORT_SOURCE_FAILED',
      'EXPORT_WRITE_FAILED',
      'EXPORT_INTERNAL',
    ] as const) {
      expect(httpStatusOfExportError(new ExportError(code, 'broken'))).toBe(500);
    }
  });

  it("uses an error's own statusCode when its code is none of the libraries'", () => {
    expect(httpStatusOfExportError(new NotNdjsonUploadError())).toBe(415);
    expect(httpStatusOfExportError(new ExportFastifyOptionError('bad'))).toBe(500);
    expect(httpStatusOfExportError(new ClientGoneError())).toBe(499);
    expect(httpStatusOfExportError(Object.assign(new Error('slow'), { statusCode: 408 }))).toBe(
      408,
    );
  });

  it('answers anything else with 500', () => {
    expect(httpStatusOfExportError(new Error('boom'))).toBe(500);
    expect(httpStatusOfExportError(Object.assign(new Error('odd'), { statusCode: 200 }))).toBe(500);
    expect(httpStatusOfExportError(undefined)).toBe(500);
  });

  it('finds no retry time on an error that gives none', () => {
    expect(retryAfterSecondsOf(new Error('x'))).toBeUndefined();
    expect(retryAfterSecondsOf(null)).toBeUndefined();
  });
});
