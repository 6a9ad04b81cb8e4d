import { describe, expect, it } from 'vitest';
import { ExportError } from './errors.js';

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
