import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { exportPlugin } from '../src/plugins/export-plugin.js';
import {
  type ExportPluginOptions,
  normalizeExportPluginOptions,
} from '../src/plugins/normalize-export-plugin-options.js';

const registry = new Registry();

function normalized(options: Partial<ExportPluginOptions>) {
  return normalizeExportPluginOptions({ registry, ...options } as ExportPluginOptions);
}

describe('normalizeExportPluginOptions', () => {
  it.each([
    ['retentionHours', { retentionHours: 0 }, 'must be a number above 0, got 0'],
    ['retentionHours', { retentionHours: -1 }, 'must be a number above 0, got -1'],
    ['retentionHours', { retentionHours: Number.NaN }, 'must be a number above 0, got NaN'],
    [
      'retentionHours',
      { retentionHours: Number.POSITIVE_INFINITY },
      'must be a number above 0, got Infinity',
    ],
    ['maxRows', { maxRows: 0 }, 'must be an integer >= 1, got 0'],
    ['maxRows', { maxRows: 1.5 }, 'must be an integer >= 1, got 1.5'],
    ['maxLineBytes', { maxLineBytes: 0 }, 'must be an integer >= 1, got 0'],
    ['maxJobsPerUser', { maxJobsPerUser: 0 }, 'must be an integer >= 1, got 0'],
    ['exportTimeoutSeconds', { exportTimeoutSeconds: 0 }, 'must be an integer >= 1, got 0'],
    ['shutdownTimeoutSeconds', { shutdownTimeoutSeconds: -1 }, 'must be an integer >= 0, got -1'],
    [
      'shutdownTimeoutSeconds',
      { shutdownTimeoutSeconds: '30' },
      'must be an integer >= 0, got "30"',
    ],
    ['sweepIntervalMs', { sweepIntervalMs: 0 }, 'must be an integer from 1 to 2147483647, got 0'],
    [
      'sweepIntervalMs',
      { sweepIntervalMs: 2 ** 31 },
      'must be an integer from 1 to 2147483647, got 2147483648',
    ],
    [
      'minUploadRate.bytesPerSecond',
      { minUploadRate: { bytesPerSecond: -1, graceSeconds: 10 } },
      'must be an integer >= 0, got -1',
    ],
    [
      'minUploadRate.graceSeconds',
      { minUploadRate: { bytesPerSecond: 1024 } },
      'must be a number >= 0, got undefined',
    ],
    ['workers.size', { workers: { size: 0 } }, 'must be an integer >= 1, got 0'],
    ['workers.maxHeapMb', { workers: { maxHeapMb: 0 } }, 'must be an integer >= 1, got 0'],
    ['exportDirectory', { exportDirectory: '' }, 'must be a folder path, got ""'],
    [
      'apiTokens',
      { apiTokens: { token: 'alice' } },
      'must be a Map of token to user, got [object Object]',
    ],
    ['registry', { registry: undefined }, 'must be a prom-client Registry, got undefined'],
    [
      'cluster.maxConcurrent',
      {
        cluster: {
          redisUrl: 'redis://x',
          queueName: 'q',
          maxConcurrent: 0,
          maxQueue: 0,
          lockMs: 1,
        },
      },
      'must be an integer >= 1, got 0',
    ],
    [
      'downloadLinks.secrets',
      { downloadLinks: { secrets: [] } },
      'must be a non-empty array of strings, got an empty array',
    ],
    [
      'downloadLinks.secrets[1]',
      { downloadLinks: { secrets: ['a'.repeat(32), 'short secret'] } },
      'must be a string of at least 32 characters',
    ],
    [
      'downloadLinks.ttlSeconds',
      { downloadLinks: { secrets: ['a'.repeat(32)], ttlSeconds: 0 } },
      'must be an integer from 1 to 604800, got 0',
    ],
    [
      'downloadLinks.publicUrl',
      { downloadLinks: { secrets: ['a'.repeat(32)], publicUrl: 'ftp://exports' } },
      'must be an http(s) URL without a query or fragment, got "ftp://exports"',
    ],
    [
      'downloadLinks.publicUrl',
      { downloadLinks: { secrets: ['a'.repeat(32)], publicUrl: 'https://exports/#top' } },
      'must be an http(s) URL without a query or fragment, got "https://exports/#top"',
    ],
    ['s3', { s3: 'exports' }, 'must be an object, got "exports"'],
    [
      's3.bucket',
      { s3: { bucket: 'Exports_2026', region: 'us-east-1' } },
      'must be an S3 bucket name (3 to 63 characters of a-z, 0-9, . and -), got "Exports_2026"',
    ],
    [
      's3.prefix',
      { s3: { bucket: 'exports', region: 'us-east-1', prefix: '/exports' } },
      'must be key segments each ending with / (exports/prod/), got "/exports"',
    ],
    [
      's3.region',
      { s3: { bucket: 'exports' } },
      'must be a region name (us-east-1), got undefined',
    ],
    [
      's3.endpoint',
      { s3: { bucket: 'exports', region: 'us-east-1', endpoint: 'minio:9000' } },
      'must be an http(s) URL without a query or fragment, got "minio:9000"',
    ],
    [
      's3.presignedDownloads',
      { s3: { bucket: 'exports', region: 'us-east-1', presignedDownloads: 'yes' } },
      'must be a boolean, got "yes"',
    ],
  ])('refuses a bad `%s` with EXECUTOR_INVALID_OPTION naming it (%j)', (name, options, expects) => {
    expect(() => normalized(options as Partial<ExportPluginOptions>)).toThrow(
      expect.objectContaining({
        name: 'FastifyError',
        code: 'EXECUTOR_INVALID_OPTION',
        statusCode: 500,
        message: `option \`${name}\` ${expects}`,
      }),
    );
  });

  it('leaves the limiter options to the limiter, which refuses a bad one first', () => {
    expect(() => normalized({ limiter: { maxQueue: -1 }, retentionHours: 0 })).toThrow(
      expect.objectContaining({ code: 'LIMITER_INVALID_OPTION' }),
    );
  });

  it('sweeps every quarter of a short retention', () => {
    expect(normalized({ retentionHours: 0.1 }).sweepIntervalMs).toBe(90_000);
  });

  it('keeps a given sweep interval', () => {
    expect(normalized({ sweepIntervalMs: 1234 }).sweepIntervalMs).toBe(1234);
  });

  it('sizes the worker pool to the cores, at most the export slots', () => {
    expect(normalized({ limiter: { maxConcurrent: 1 } }).workers).toEqual({
      size: 1,
      maxHeapMb: 512,
    });
    expect(normalized({ workers: { size: 2, maxHeapMb: 64 } }).workers).toEqual({
      size: 2,
      maxHeapMb: 64,
    });
  });

  it('signs no links by default, and links live an hour once a secret is given', () => {
    expect(normalized({}).downloadLinks).toBeUndefined();
    expect(normalized({ downloadLinks: { secrets: ['a'.repeat(32)] } }).downloadLinks).toEqual({
      secrets: ['a'.repeat(32)],
      ttlSeconds: 3600,
      publicUrl: undefined,
    });
  });

  it('never puts a secret in the message that refuses it', () => {
    const secret = 'x'.repeat(31);
    expect(() => normalized({ downloadLinks: { secrets: [secret] } })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(secret) }),
    );
  });

  it('returns frozen options', () => {
    expect(Object.isFrozen(normalized({}))).toBe(true);
  });
});

describe('registering the export plugin with a bad option', () => {
  const folders: string[] = [];
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it.each([
    [{ retentionHours: 0 }, 'option `retentionHours` must be a number above 0, got 0'],
    [{ maxRows: -5 }, 'option `maxRows` must be an integer >= 1, got -5'],
    [
      { sweepIntervalMs: 0 },
      'option `sweepIntervalMs` must be an integer from 1 to 2147483647, got 0',
    ],
    [{ workers: { size: 0 } }, 'option `workers.size` must be an integer >= 1, got 0'],
  ])(
    'fails app.ready() with EXECUTOR_INVALID_OPTION, before creating anything, for %j',
    async (options, message) => {
      const parent = mkdtempSync(join(tmpdir(), 'plugin-options-'));
      folders.push(parent);
      const exportDirectory = join(parent, 'exports');
      const app = Fastify({ logger: false });
      app.register(exportPlugin, { registry: new Registry(), exportDirectory, ...options });
      await expect(app.ready()).rejects.toMatchObject({ code: 'EXECUTOR_INVALID_OPTION', message });
      expect(existsSync(exportDirectory)).toBe(false);
      await app.close();
    },
  );
});
