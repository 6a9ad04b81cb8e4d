import { describe, expect, it } from 'vitest';
import { ExportError, ExportTimeoutError } from '../errors.js';
import { reviveError, serializeError } from './serialize-error.js';

const systemError = (code: string) =>
  Object.assign(new Error(`${code}: failed, write`), { code, errno: -28 });

describe('an error sent back from a worker thread', () => {
  it('keeps its code, message and row', () => {
    const error = new ExportError('EXPORT_INVALID_RECORD', 'record 3 is bad', { row: 3 });
    expect(reviveError(structuredClone(serializeError(error)))).toMatchObject({
      code: 'EXPORT_INVALID_RECORD',
      message: 'record 3 is bad',
      row: 3,
    });
  });

  it('comes back as an ExportTimeoutError for EXPORT_TIMEOUT, with the abort reason as cause', () => {
    const reason = new DOMException('signal timed out', 'TimeoutError');
    const revived = reviveError(structuredClone(serializeError(new ExportTimeoutError())), reason);
    expect(revived).toBeInstanceOf(ExportTimeoutError);
    expect(revived).toMatchObject({ name: 'TimeoutError', code: 'EXPORT_TIMEOUT' });
    expect(revived.cause).toBe(reason);
  });

  it('keeps the system error underneath as its cause, so a full disk can be told from a bad write', () => {
    const error = new ExportError('EXPORT_WRITE_FAILED', 'the write failed', {
      cause: systemError('ENOSPC'),
    });
    const revived = reviveError(structuredClone(serializeError(error)));
    expect(revived.code).toBe('EXPORT_WRITE_FAILED');
    expect(revived.cause).toMatchObject({ code: 'ENOSPC', message: 'ENOSPC: failed, write' });
  });

  it('finds the system error deeper in the cause chain', () => {
    const error = new ExportError('EXPORT_WRITE_FAILED', 'the write failed', {
      cause: new Error('stream failed', { cause: systemError('EIO') }),
    });
    expect(reviveError(serializeError(error)).cause).toMatchObject({ code: 'EIO' });
  });

  it('has no cause when there is no system error underneath', () => {
    const error = new ExportError('EXPORT_WRITE_FAILED', 'the write failed', {
      cause: new ExportError('EXPORT_INTERNAL', 'inner'),
    });
    expect(serializeError(error)).not.toHaveProperty('cause');
    expect(reviveError(serializeError(error)).cause).toBeUndefined();
  });
});
