import { describe, expect, it } from 'vitest';
import { normalizeS3StoreOptions, s3StoreDefaults } from '../../src/artifacts/s3-store-options.js';

const required = { bucket: 'artifacts', region: 'eu-west-1' };

describe('normalizeS3StoreOptions()', () => {
  it('fills every default', () => {
    expect(normalizeS3StoreOptions(required)).toEqual({
      ...required,
      ...s3StoreDefaults,
      endpoint: undefined,
      forcePathStyle: false,
      credentials: undefined,
      client: undefined,
    });
  });

  it.each([
    [{ bucket: '' }, 'S3 store option `bucket` must be a non-empty string, got ""'],
    [{ region: undefined }, 'S3 store option `region` must be a non-empty string, got undefined'],
    [
      { endpoint: 'localhost:9000' },
      'S3 store option `endpoint` must be an http:// or https:// URL, got "localhost:9000"',
    ],
    [{ partSize: 1024 }, 'S3 store option `partSize` must be an integer ≥ 5242880, got 1024'],
    [{ queueSize: 0 }, 'S3 store option `queueSize` must be an integer ≥ 1, got 0'],
    [{ pageSize: 1001 }, 'S3 store option `pageSize` must be an integer 1 to 1000, got 1001'],
    [{ maxAttempts: 1.5 }, 'S3 store option `maxAttempts` must be an integer ≥ 1, got 1.5'],
  ])('refuses %j with EXECUTOR_STORE_MISCONFIGURED naming the option', (bad, message) => {
    expect(() => normalizeS3StoreOptions({ ...required, ...bad } as never)).toThrow(
      expect.objectContaining({ code: 'EXECUTOR_STORE_MISCONFIGURED', message }),
    );
  });
});
