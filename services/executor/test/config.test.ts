import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('needs no environment: 127.0.0.1:4001 at log level info', () => {
    expect(loadConfig({})).toEqual({ HOST: '127.0.0.1', PORT: 4001, LOG_LEVEL: 'info' });
  });

  it('reads HOST, PORT and LOG_LEVEL from the environment', () => {
    expect(loadConfig({ HOST: '0.0.0.0', PORT: '8080', LOG_LEVEL: 'debug' })).toEqual({
      HOST: '0.0.0.0',
      PORT: 8080,
      LOG_LEVEL: 'debug',
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '' }).PORT).toBe(4001);
  });

  it('ignores variables it does not know', () => {
    expect(loadConfig({ PATH: '/bin', NODE_ENV: 'production' })).toEqual(loadConfig({}));
  });

  it.each([
    [{ PORT: 'abc' }, 'environment variable PORT must be an integer from 0 to 65535, got "abc"'],
    [
      { PORT: '70000' },
      'environment variable PORT must be an integer from 0 to 65535, got "70000"',
    ],
    [{ PORT: '40.5' }, 'environment variable PORT must be an integer from 0 to 65535, got "40.5"'],
    [
      { LOG_LEVEL: 'loud' },
      'environment variable LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
    ],
  ])('rejects %j with EXECUTOR_INVALID_CONFIG naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrowError(
      expect.objectContaining({ code: 'EXECUTOR_INVALID_CONFIG', message }),
    );
  });
});
