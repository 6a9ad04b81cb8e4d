import { describe, expect, it } from 'vitest';
import { AssertExportError, assertExportErrorCodes } from './errors.js';

describe('AssertExportError', () => {
  it('carries its name, a stable code, the message and the cause', () => {
    const cause = new Error('connect ECONNREFUSED 127.0.0.1:4001');
    const error = new AssertExportError('ASSERT_EXPORT_SCRAPE_FAILED', 'could not scrape', {
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('AssertExportError');
    expect(error.code).toBe('ASSERT_EXPORT_SCRAPE_FAILED');
    expect(error.message).toBe('could not scrape');
    expect(error.cause).toBe(cause);
  });

  it('has no cause unless given one', () => {
    expect('cause' in new AssertExportError('ASSERT_EXPORT_INVALID_ARGUMENT', 'x')).toBe(false);
  });

  it('lists every code with the ASSERT_EXPORT_ prefix', () => {
    for (const code of assertExportErrorCodes) expect(code).toMatch(/^ASSERT_EXPORT_[A-Z_]+$/);
  });
});
