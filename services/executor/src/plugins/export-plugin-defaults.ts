import { exportPoolDefaults } from '@org/export-core';

/**
 * The export plugin's defaults, in the plugin's units. config.ts takes its variables' defaults
 * from here, so an app built from an empty environment and a plugin registered without options
 * behave the same.
 */
export const exportPluginDefaults = Object.freeze({
  exportDirectory: './exports',
  maxRows: 2_000_000,
  maxLineBytes: 1024 * 1024,
  exportTimeoutSeconds: 600,
  shutdownTimeoutSeconds: 30,
  retentionHours: 24,
  maxJobsPerUser: 1000,
  minUploadRate: Object.freeze({ bytesPerSecond: 1024, graceSeconds: 10 }),
  /** The sweep runs every quarter of the retention, but at least this often. */
  maxSweepIntervalMs: 600_000,
  /** export-core's own default, named here because EXPORT_WORKER_MAX_MB shows it. */
  workerMaxHeapMb: exportPoolDefaults.maxHeapMb,
  /** How long a job view's signed downloadUrl works. */
  linkTtlSeconds: 3600,
  /** Attempts of one completion webhook, and the first wait between two: about an hour in all. */
  webhookMaxAttempts: 8,
  webhookFirstRetrySeconds: 30,
  webhookConnectTimeoutMs: 5000,
  webhookResponseTimeoutMs: 10_000,
  webhookPollMs: 1000,
});
