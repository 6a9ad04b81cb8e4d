import { describe, expect, it } from 'vitest';
import { abortErrorOf, ExportAbortError, ExportError, ExportTimeoutError } from './errors.js';

describe('ExportError', () => {
  it('is an Error with a name, a code and a message', () => {
    const error = new ExportError('EXPORT_NO_COLUMNS', 'no columns');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ExportError');
    expect(error.code).toBe('EXPORT_NO_COLUMNS');
    expect(error.message).toBe('no columns');
  });

  it('keeps its cause', () => {
    const cause = new Error('disk full');
    expect(new ExportError('EXPORT_INVALID_RECORD', 'bad', { cause }).cause).toBe(cause);
  });

  it('has no cause property unless one is given', () => {
    expect('cause' in new ExportError('EXPORT_NO_COLUMNS', 'x')).toBe(false);
  });
});

describe('ExportTimeoutError', () => {
  it('is an ExportError named TimeoutError, as fetch names a deadline, with code EXPORT_TIMEOUT', () => {
    const error = new ExportTimeoutError();
    expect(error).toBeInstanceOf(ExportError);
    expect(error.name).toBe('TimeoutError');
    expect(error.code).toBe('EXPORT_TIMEOUT');
    expect(error.message).toBe('the export was stopped: its signal timed out');
  });
});

describe('abortErrorOf', () => {
  it('is an EXPORT_TIMEOUT for a signal of AbortSignal.timeout, its reason as the cause', async () => {
    const signal = AbortSignal.timeout(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const error = abortErrorOf(signal);
    expect(error).toBeInstanceOf(ExportTimeoutError);
    expect(error.cause).toBe(signal.reason);
  });

  it('is an EXPORT_TIMEOUT for any reason named TimeoutError', () => {
    const signal = AbortSignal.abort(new DOMException('too slow', 'TimeoutError'));
    expect(abortErrorOf(signal).code).toBe('EXPORT_TIMEOUT');
  });

  it.each([
    ['no reason', undefined],
    ['an Error', new Error('the client left')],
    ['a string', 'stop'],
  ])('is an EXPORT_ABORTED AbortError for %s', (_name, reason) => {
    const error = abortErrorOf(AbortSignal.abort(reason));
    expect(error).toBeInstanceOf(ExportAbortError);
    expect(error).toMatchObject({ name: 'AbortError', code: 'EXPORT_ABORTED' });
  });
});
