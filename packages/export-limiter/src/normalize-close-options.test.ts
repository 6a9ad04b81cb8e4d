import { describe, expect, it } from 'vitest';
import { type CloseOptions, normalizeCloseOptions } from './normalize-close-options.js';

describe('normalizeCloseOptions', () => {
  it('defaults to waiting as long as it takes', () => {
    expect(normalizeCloseOptions()).toEqual({ timeoutMs: undefined });
  });

  it('keeps a timeout, 0 included', () => {
    expect(normalizeCloseOptions({ timeoutMs: 0 })).toEqual({ timeoutMs: 0 });
  });

  it.each<[unknown, string]>([
    [{ timeoutMs: -1 }, 'option `timeoutMs` must be an integer >= 0, got -1'],
    [{ timeoutMs: 1.5 }, 'option `timeoutMs` must be an integer >= 0, got 1.5'],
    [{ timeoutMs: '10' }, 'option `timeoutMs` must be an integer >= 0, got "10"'],
    [null, 'close options must be an object, got null'],
  ])('rejects %o with LIMITER_INVALID_OPTION naming the option', (options, message) => {
    expect(() => normalizeCloseOptions(options as CloseOptions)).toThrowError(
      expect.objectContaining({ code: 'LIMITER_INVALID_OPTION', message }),
    );
  });
});
