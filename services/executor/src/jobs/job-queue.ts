import type { Readable } from 'node:stream';
import type { ExportFormat, PoolSource } from '@org/export-core';
import type { FastifyBaseLogger } from 'fastify';
import type { ByteRange, PresignedUrlOptions } from '../artifacts/artifact-store.js';
import type { ExportContext } from '../exports/execute-export.js';
import type { JobEndListener } from './job-lifecycle.js';
import type { JobExportOptions, JobRecord, JobStatus } from './job-record.js';

/** A job as the routes see it: the stored record plus what only the running process knows. */
export interface JobSnapshot extends JobRecord {
  /** Rows written so far: moves while the job runs, equals `rows` once done. */
  progressRows: number;
}

export interface JobSubmission {
  format: ExportFormat;
  options: JobExportOptions;
  /** The token's user, or null when auth is off. */
  owner: string | null;
  /** The job's input, its records' bytes: spooled to disk by a worker before it is accepted. */
  input: PoolSource;
  /** Checked already (callback-url.ts): POSTed the job once it ends. */
  callbackUrl?: string | undefined;
}

/**
 * Who asks. A user sees only the jobs their token created; `undefined` (auth off) sees all.
 * Every lookup takes it, so no route can forget the check.
 */
export type JobViewer = string | undefined;

export interface JobListQuery {
  viewer: JobViewer;
  status?: JobStatus | undefined;
  format?: ExportFormat | undefined;
  limit: number;
  /** From the previous page's `nextCursor`. */
  cursor?: string | undefined;
}

export interface JobListPage {
  /** Newest first. */
  jobs: JobSnapshot[];
  /** Pass back for the next page; null on the last one. */
  nextCursor: string | null;
}

export type { ByteRange } from '../artifacts/artifact-store.js';

/** A finished job's file, wherever the backend keeps it. */
export interface JobArtifact {
  format: ExportFormat;
  size: number;
  sha256: string;
  /** The file's bytes, or those of `range`; rejects when the store cannot be read now. */
  open(range?: ByteRange): Promise<Readable>;
  /** A URL the client may GET the file from directly, when the store makes them (S3). */
  presignedUrl?(options: PresignedUrlOptions): Promise<string>;
}

export type JobDeletion =
  | { outcome: 'cancelled'; job: JobSnapshot }
  | { outcome: 'deleted'; id: string };

/**
 * The async job backend behind the routes. The embedded one keeps jobs on local disk and runs
 * them through the process's limiter; the cluster one (src/cluster/) shares them between
 * replicas through BullMQ on Redis.
 */
export interface JobQueue {
  /** How many jobs this process runs at once. */
  readonly concurrency: number;
  /**
   * Spools the records, then admits the job. Rejects, keeping nothing, with the limiter's
   * LIMITER_QUEUE_FULL (429) when full, or with a 4xx for bad records or options.
   */
  enqueue(submission: JobSubmission): Promise<JobSnapshot>;
  get(id: string, viewer: JobViewer): Promise<JobSnapshot | undefined>;
  list(query: JobListQuery): Promise<JobListPage>;
  /**
   * Cancels a queued or running job (resolving once it has stopped and its files are gone), or
   * deletes a finished job with its file. `undefined` when the viewer has no such job.
   */
  delete(id: string, viewer: JobViewer): Promise<JobDeletion | undefined>;
  /** The finished file; throws EXECUTOR_JOB_NOT_READY (409) while the job is not done. */
  artifact(id: string, viewer: JobViewer): Promise<JobArtifact | undefined>;
  /** How many of the viewer's jobs are in each status. */
  counts(viewer: JobViewer): Promise<Record<JobStatus, number>>;
  /**
   * Starts the backend. The embedded one then recovers its stored jobs in the background (see
   * recover-jobs.ts) and runs the queued ones once that is done.
   */
  start(): Promise<void>;
  /** Resolves once the jobs stored before this process started are recovered; never rejects. */
  recovered(): Promise<void>;
  /**
   * Why the jobs cannot be served now (recovery still runs, the cluster's Redis is down), or
   * undefined. The other methods then throw it; /ready reports it.
   */
  unavailability(): Error | undefined;
  /** Waits for running jobs to settle and every record to be saved; close the limiter first. */
  close(): Promise<void>;
}

/** What every job backend is given besides its storage: the limits and the clock. */
export interface JobQueueSettings {
  /** The process's one limiter, metrics and export timeout, shared with the other routes. */
  context: ExportContext;
  log: FastifyBaseLogger;
  /** Records one job may have. */
  maxRows: number;
  /** Jobs one user keeps, in any status; one more is refused with EXECUTOR_JOB_QUOTA_EXCEEDED. */
  maxJobsPerUser: number;
  /** Longest line accepted when a spooled input is read back. */
  maxLineBytes: number;
  /** `sweepExpired` deletes finished jobs older than this, with their files. */
  retentionMs: number;
  now?: () => number;
  /** Told of every job's end: its webhook. */
  jobEnds?: JobEndListener | undefined;
}

/** A backend whose finished jobs expire. */
export interface ExpiringJobQueue extends JobQueue {
  /** Deletes finished jobs past retention now; resolves with how many. */
  sweepExpired(): Promise<number>;
}
