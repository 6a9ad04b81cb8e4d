import { exportErrorCodes } from '@org/export-core';
import { limiterErrorCodes } from '@org/export-limiter';
import { describe, expect, it } from 'vitest';
import { classifyExportError } from './classify-export-error.js';
import { failReasonLabelValues } from './label-values.js';

function coded(code: string, name = 'Error') {
  return Object.assign(new Error(code), { code, name });
}

describe('classifyExportError', () => {
  // The table goes by code strings, so that this package depends on neither library: a code
  // they add must not fall through to `internal` unnoticed.
  it.each(exportErrorCodes.filter((code) => code !== 'EXPORT_INTERNAL'))(
    "counts export-core's %s deliberately, never as internal",
    (code) => {
      expect(classifyExportError({ code })).not.toEqual({ outcome: 'failure', reason: 'internal' });
    },
  );

  it.each(
    limiterErrorCodes.filter(
      (code) =>
        !['LIMITER_INVALID_OPTION', 'LIMITER_INVALID_ARGUMENT', 'LIMITER_LISTENER_FAILED'].includes(
          code,
        ),
    ),
  )("counts export-limiter's %s deliberately, never as internal", (code) => {
    expect(classifyExportError({ code })).not.toEqual({ outcome: 'failure', reason: 'internal' });
  });

  it.each(['LIMITER_QUEUE_FULL', 'LIMITER_KEY_QUEUE_FULL', 'LIMITER_CLOSED', 'EXPORT_POOL_CLOSED'])(
    'counts %s as rejected',
    (code) => {
      expect(classifyExportError(coded(code))).toEqual({ outcome: 'rejected' });
    },
  );

  it.each(['EXPORT_ABORTED', 'LIMITER_ABORTED'])('counts %s as cancelled', (code) => {
    expect(classifyExportError(coded(code, 'AbortError'))).toEqual({ outcome: 'cancelled' });
  });

  it('counts EXECUTOR_UPLOAD_TOO_SLOW, a trickling upload cut by the executor, as cancelled', () => {
    expect(classifyExportError(coded('EXECUTOR_UPLOAD_TOO_SLOW', 'FastifyError'))).toEqual({
      outcome: 'cancelled',
    });
  });

  it('counts a plain AbortError as cancelled', () => {
    expect(classifyExportError(new DOMException('aborted', 'AbortError'))).toEqual({
      outcome: 'cancelled',
    });
  });

  it("counts export-core's EXPORT_TIMEOUT, named TimeoutError, as a timeout failure", () => {
    expect(classifyExportError(coded('EXPORT_TIMEOUT', 'TimeoutError'))).toEqual({
      outcome: 'failure',
      reason: 'timeout',
    });
  });

  it('counts a signal that timed out (AbortSignal.timeout), uncoded, as a timeout failure', async () => {
    const signal = AbortSignal.timeout(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(signal.reason).toMatchObject({ name: 'TimeoutError' });
    expect(classifyExportError(signal.reason)).toEqual({ outcome: 'failure', reason: 'timeout' });
  });

  it.each(['EXPORT_ABORTED', 'LIMITER_ABORTED', undefined])(
    'counts an abort (%s) caused by a TimeoutError as a timeout failure, not cancelled',
    (code) => {
      const cause = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
      const error = Object.assign(new Error('aborted', { cause }), { name: 'AbortError' });
      if (code) Object.assign(error, { code });
      expect(classifyExportError(error)).toEqual({ outcome: 'failure', reason: 'timeout' });
    },
  );

  it('keeps a coded failure whose cause timed out as its own code says', () => {
    const cause = new DOMException('timed out', 'TimeoutError');
    const error = Object.assign(new Error('source failed', { cause }), {
      code: 'EXPORT_SOURCE_FAILED',
    });
    expect(classifyExportError(error)).toEqual({ outcome: 'failure', reason: 'source' });
  });

  it.each([
    ['EXPORT_INVALID_RECORD', 'validation'],
    ['EXPORT_UNSUPPORTED_FORMAT', 'validation'],
    ['EXPORT_LINE_TOO_LONG', 'validation'],
    ['EXPORT_INVALID_UTF8', 'validation'],
    ['EXPORT_UNKNOWN_FIELD', 'validation'],
    ['EXPORT_TABLE_TOO_WIDE', 'validation'],
    ['EXPORT_INVALID_JSON', 'validation'],
    ['EXPORT_TOO_MANY_ROWS', 'validation'],
    ['EXECUTOR_TOO_MANY_ROWS', 'validation'],
    ['EXPORT_SOURCE_FAILED', 'source'],
    ['EXPORT_WRITE_FAILED', 'write'],
    ['LIMITER_QUEUE_TIMEOUT', 'timeout'],
    ['EXPORT_TIMEOUT', 'timeout'],
    ['EXECUTOR_EXPORT_TIMEOUT', 'timeout'],
    ['EXPORT_WORKER_OUT_OF_MEMORY', 'memory'],
    ['EXPORT_INTERNAL', 'internal'],
  ])('counts %s as a failure with reason %s', (code, reason) => {
    expect(classifyExportError(coded(code))).toEqual({ outcome: 'failure', reason });
  });

  it('gives every failure a reason from the fixed label set', () => {
    for (const code of [
      'EXPORT_INVALID_JSON',
      'EXPORT_TOO_MANY_ROWS',
      'EXPORT_WORKER_OUT_OF_MEMORY',
      'EXPORT_INTERNAL',
    ]) {
      const { reason } = classifyExportError(coded(code));
      expect(failReasonLabelValues, code).toContain(reason);
    }
  });

  it.each(['ENOSPC', 'EDQUOT', 'EROFS', 'EIO'])(
    'counts a file system %s as a disk failure, itself or as the cause of EXPORT_WRITE_FAILED',
    (errno) => {
      const systemError = coded(errno);
      expect(classifyExportError(systemError)).toEqual({ outcome: 'failure', reason: 'disk' });
      const wrapped = Object.assign(coded('EXPORT_WRITE_FAILED'), { cause: systemError });
      expect(classifyExportError(wrapped)).toEqual({ outcome: 'failure', reason: 'disk' });
    },
  );

  it('keeps a write that hit a file-size limit (EFBIG) as write, not disk', () => {
    const wrapped = Object.assign(coded('EXPORT_WRITE_FAILED'), { cause: coded('EFBIG') });
    expect(classifyExportError(wrapped)).toEqual({ outcome: 'failure', reason: 'write' });
  });

  it('counts anything uncoded as an internal failure', () => {
    expect(classifyExportError(new TypeError('x'))).toEqual({
      outcome: 'failure',
      reason: 'internal',
    });
    expect(classifyExportError('a string')).toEqual({ outcome: 'failure', reason: 'internal' });
    expect(classifyExportError(undefined)).toEqual({ outcome: 'failure', reason: 'internal' });
  });
});
