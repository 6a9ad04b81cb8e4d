import { describe, expect, it } from 'vitest';
import { classifyExportError } from './classify-export-error.js';
import { failReasonLabelValues } from './label-values.js';

function coded(code: string, name = 'Error') {
  return Object.assign(new Error(code), { code, name });
}

describe('classifyExportError', () => {
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

  it.each([
    ['EXPORT_INVALID_RECORD', 'validation'],
    ['EXPORT_UNSUPPORTED_FORMAT', 'validation'],
    ['EXPORT_LINE_TOO_LONG', 'validation'],
    ['EXPORT_INVALID_JSON', 'validation'],
    ['EXPORT_TOO_MANY_ROWS', 'validation'],
    ['EXECUTOR_TOO_MANY_ROWS', 'validation'],
    ['EXPORT_SOURCE_FAILED', 'source'],
    ['EXPORT_WRITE_FAILED', 'write'],
    ['LIMITER_QUEUE_TIMEOUT', 'timeout'],
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
