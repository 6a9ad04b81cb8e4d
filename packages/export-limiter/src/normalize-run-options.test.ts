import { describe, expect, it } from 'vitest';
import { LimiterError } from './errors.js';
import { normalizeRunOptions, type RunOptions } from './normalize-run-options.js';

const task = () => 1;

describe('normalizeRunOptions', () => {
  it('defaults to no signal, no key and work not accepted', () => {
    expect(normalizeRunOptions(task)).toEqual({
      signal: undefined,
      key: undefined,
      accepted: false,
    });
  });

  it('keeps a signal, a key and accepted', () => {
    const signal = new AbortController().signal;
    expect(normalizeRunOptions(task, { signal, key: 'alice', accepted: true })).toEqual({
      signal,
      key: 'alice',
      accepted: true,
    });
  });

  it('rejects a task that is not a function with LIMITER_INVALID_ARGUMENT', () => {
    expect(() => normalizeRunOptions(undefined)).toThrowError(
      expect.objectContaining({
        code: 'LIMITER_INVALID_ARGUMENT',
        message: 'argument `task` must be a function, got undefined',
      }),
    );
  });

  it.each<[unknown, string]>([
    [null, 'run options must be an object, got null'],
    [{ key: 7 }, 'option `key` must be a string, got 7'],
    [{ signal: 'abort' }, 'option `signal` must be an AbortSignal, got "abort"'],
    [{ signal: {} }, 'option `signal` must be an AbortSignal, got [object Object]'],
    [{ accepted: 'yes' }, 'option `accepted` must be a boolean, got "yes"'],
    [{ accepted: 1 }, 'option `accepted` must be a boolean, got 1'],
    [{ accepted: null }, 'option `accepted` must be a boolean, got null'],
  ])('rejects %o with LIMITER_INVALID_OPTION naming the option', (options, message) => {
    let caught: unknown;
    try {
      normalizeRunOptions(task, options as RunOptions);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LimiterError);
    expect(caught).toMatchObject({ code: 'LIMITER_INVALID_OPTION', message });
  });
});
