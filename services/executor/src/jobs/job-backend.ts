import type { SubmissionGate } from './accept-submission.js';
import type { JobSnapshot } from './job-queue.js';
import type { JobManifest, JobRecord } from './job-record.js';

/**
 * Where a backend keeps its jobs' records: all the job queue needs of storage. Every backend
 * keeps the jobs' files in their folders under EXPORT_DIR (job-files.ts).
 */
export interface JobRecordStore {
  get(id: string): Promise<JobRecord | undefined>;
  /** Every record, newest first, in batches. */
  newestFirst(): AsyncIterable<JobRecord[]>;
  save(record: JobRecord): Promise<void>;
  writeManifest(manifest: JobManifest): Promise<void>;
  /** Deletes the job: its files first, then its record. */
  remove(record: JobRecord): Promise<void>;
  /** Finished jobs whose `finishedAt` is not after `cutoffMs`, in batches. */
  finishedBefore(cutoffMs: number): AsyncIterable<JobRecord[]>;
  /** Holds a place in `user`'s quota of kept jobs, or undefined when it is full. */
  reserveQuota: SubmissionGate<unknown>['reserveQuota'];
}

/** How a backend runs its jobs: all the job queue needs of transport. */
export interface JobRunner {
  /** How many jobs this process runs at once. */
  readonly concurrency: number;
  /** The refusal a submission gets now (a full queue), before its upload is read. */
  refusal: SubmissionGate<unknown>['refusal'];
  /** Saves and queues a spooled job; rejects, having kept nothing, when it is refused. */
  admit(record: JobRecord): Promise<JobSnapshot>;
  /** Stops a queued or running job; resolves with its record once its end is recorded. */
  cancel(record: JobRecord): Promise<JobRecord>;
  /** A cancel already under way: a second DELETE waits for the first. */
  cancelling?(id: string): Promise<JobRecord> | undefined;
  /** The jobs as clients see them: each record with what only the runner knows. */
  current(records: JobRecord[]): Promise<JobSnapshot[]>;
  /** Why jobs cannot be served now (recovering, Redis down), or undefined. */
  unavailability(): Error | undefined;
  /** Runs every call: the cluster turns a Redis failure into a 503. */
  guard<Value>(work: () => Promise<Value>): Promise<Value>;
  start(): Promise<void>;
  /** Resolves once the jobs stored before this process started are recovered; never rejects. */
  recovered(): Promise<void>;
  /** Waits for running jobs to settle and their records to be saved. */
  close(): Promise<void>;
  /** Runs before each retention sweep (the cluster fails the jobs no replica holds). */
  beforeSweep?(): Promise<void>;
}

/** A job backend: where its records are kept and how its jobs run. */
export interface JobBackend {
  store: JobRecordStore;
  runner: JobRunner;
}
