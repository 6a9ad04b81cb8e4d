import { limiterDefaults } from '@org/export-limiter';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { exportPluginDefaults } from '../src/plugins/export-plugin-defaults.js';
import { normalizeExportPluginOptions } from '../src/plugins/normalize-export-plugin-options.js';

describe('the export plugin defaults', () => {
  it('are the defaults of the environment variables that set the same options', () => {
    const config = loadConfig({});
    expect({
      exportDirectory: config.EXPORT_DIR,
      maxRows: config.EXPORT_MAX_ROWS,
      exportTimeoutSeconds: config.EXPORT_JOB_TIMEOUT_S,
      shutdownTimeoutSeconds: config.EXPORT_SHUTDOWN_TIMEOUT_S,
      retentionHours: config.EXPORT_RETENTION_HOURS,
      maxJobsPerUser: config.EXPORT_MAX_JOBS_PER_USER,
      minUploadRate: {
        bytesPerSecond: config.EXPORT_MIN_UPLOAD_BYTES_PER_S,
        graceSeconds: config.EXPORT_MIN_UPLOAD_GRACE_S,
      },
      workerMaxHeapMb: config.EXPORT_WORKER_MAX_MB,
    }).toEqual({
      exportDirectory: exportPluginDefaults.exportDirectory,
      maxRows: exportPluginDefaults.maxRows,
      exportTimeoutSeconds: exportPluginDefaults.exportTimeoutSeconds,
      shutdownTimeoutSeconds: exportPluginDefaults.shutdownTimeoutSeconds,
      retentionHours: exportPluginDefaults.retentionHours,
      maxJobsPerUser: exportPluginDefaults.maxJobsPerUser,
      minUploadRate: exportPluginDefaults.minUploadRate,
      workerMaxHeapMb: exportPluginDefaults.workerMaxHeapMb,
    });
  });

  it('leave the limiter at the defaults of EXPORT_MAX_CONCURRENT and EXPORT_MAX_QUEUE', () => {
    const config = loadConfig({});
    expect({
      maxConcurrent: config.EXPORT_MAX_CONCURRENT,
      maxQueue: config.EXPORT_MAX_QUEUE,
    }).toEqual(limiterDefaults);
  });

  it('are what a plugin registered with only a registry uses', () => {
    const options = normalizeExportPluginOptions({ registry: new Registry() });
    expect(options).toMatchObject({
      exportDirectory: './exports',
      maxRows: 2_000_000,
      maxLineBytes: 1024 * 1024,
      exportTimeoutSeconds: 600,
      shutdownTimeoutSeconds: 30,
      retentionHours: 24,
      maxJobsPerUser: 1000,
      minUploadRate: { bytesPerSecond: 1024, graceSeconds: 10 },
      // A quarter of 24 hours is more than 10 minutes.
      sweepIntervalMs: 600_000,
      workers: { maxHeapMb: 512 },
      cluster: undefined,
    });
    expect(options.apiTokens.size).toBe(0);
  });

  it('cannot be changed', () => {
    expect(Object.isFrozen(exportPluginDefaults)).toBe(true);
    expect(Object.isFrozen(exportPluginDefaults.minUploadRate)).toBe(true);
  });
});
