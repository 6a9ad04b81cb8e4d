import { type Job, WaitingError } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import {
  type ExportContext,
  type ExportOutcome,
  executeExport,
} from '../exports/execute-export.js';
import { type JobEnd, jobEndOf } from '../jobs/job-end.js';
import { jobExportRequest } from '../jobs/job-export-request.js';
import { type JobFiles, removeUnfinishedWrites } from '../jobs/job-files.js';
import type { JobLifecycle } from '../jobs/job-lifecycle.js';
import { finishedJobStatuses, type JobRecord } from '../jobs/job-record.js';
import type { ClusterJobRecords } from './cluster-job-records.js';

/** Why a running job's signal aborts: given to `worker.cancelJob`. */
export const cancelReasons = Object.freeze({
  /** A client's DELETE, from any replica. */
  cancelled: 'cancelled',
  /** BullMQ says another holder may have the job now: stop without a word, it runs elsewhere. */
  lockLost: 'lock-lost',
});

export interface ClusterJobProcessorOptions {
  records: ClusterJobRecords;
  lifecycle: JobLifecycle;
  /** Whether a DELETE asked for this job to be cancelled (set before it runs, or while queued). */
  isCancelRequested(id: string): Promise<boolean>;
  files: JobFiles;
  context: ExportContext;
  log: FastifyBaseLogger;
  maxLineBytes: number;
  /**
   * Resolves once BullMQ has moved the job out of its active list (the worker's `completed` or
   * `failed` event), or after `moveToWait`: its cluster slot is held until then.
   */
  leftActive(id: string): { promise: Promise<void>; settle: () => void };
}

export type ClusterJobData = { id: string };

/** The lifecycle's ends, and the cluster's own: the lock lost, so another replica runs it. */
type ClusterJobEnd = JobEnd | 'retry';

// How long after its processor ends a job's slot is freed if BullMQ never says it moved on.
const lockFallbackMs = 10_000;

/**
 * Runs one BullMQ job on this replica, from its spooled input in the shared folder to its file
 * and record. Every end is recorded before the job's slots are freed. A job stopped by this
 * replica's shutdown goes back to BullMQ's wait list for another replica; one whose lock was
 * lost throws, for BullMQ's stalled-job recovery to hand it on.
 */
export function createClusterJobProcessor(options: ClusterJobProcessorOptions) {
  const { records, lifecycle, files, context, log, maxLineBytes } = options;

  async function processClusterJob(
    job: Job<ClusterJobData>,
    token: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const id = job.data.id;
    const record = await records.get(id);
    // Deleted meanwhile, or recorded by an attempt that died before BullMQ heard of it.
    if (!record || finishedJobStatuses.has(record.status)) return;
    const stop = signal ?? new AbortController().signal;
    if (await options.isCancelRequested(id)) {
      await lifecycle.ended(record, 'cancelled', { error: undefined });
      return;
    }
    // A replica that died running this job left its temp file or upload; the lock says it is
    // ours now.
    await removeUnfinishedWrites(files, id);

    const left = options.leftActive(id);
    try {
      await runJob(job, token, stop, record, left.promise);
    } finally {
      // No event comes for a job whose move failed (Redis lost): its slot goes with the lock.
      setTimeout(left.settle, lockFallbackMs).unref();
    }
  }

  async function runJob(
    job: Job<ClusterJobData>,
    token: string | undefined,
    stop: AbortSignal,
    record: JobRecord,
    leftActive: Promise<void>,
  ): Promise<void> {
    const id = record.id;
    // Whether the export ran, its end then recorded inside its slots.
    let ran = false;
    let ended: Promise<unknown> = Promise.resolve();
    let started: Promise<JobRecord | undefined> = Promise.resolve(undefined);
    const endOf = async (outcome: ExportOutcome): Promise<ClusterJobEnd> => {
      if (stop.aborted && stop.reason === cancelReasons.lockLost) return 'retry';
      const cancelRequested =
        (stop.aborted && stop.reason === cancelReasons.cancelled) ||
        (await options.isCancelRequested(id));
      return jobEndOf({ outcome, cancelRequested, stopped: stop.aborted });
    };
    const finish = async (outcome: ExportOutcome): Promise<ClusterJobEnd> => {
      const end = await endOf(outcome);
      if (end !== 'retry') await lifecycle.ended((await started) ?? record, end, outcome);
      return end;
    };

    try {
      await executeExport(context, {
        ...jobExportRequest(record, { files, log, maxLineBytes }),
        signal: stop,
        // Accepted already: it waits for room in this replica's limiter (shared with
        // /export/run and /export/stream) and for a cluster slot, however full their queues.
        accepted: true,
        sharedSlotHeldUntil: leftActive,
        onStart: () => {
          log.info(
            { jobId: id, attempt: job.attemptsStarted },
            'export job started on this replica',
          );
          started = lifecycle.started(record).catch((error: unknown) => {
            log.warn({ err: error, jobId: id }, 'export job start could not be recorded');
            return undefined;
          });
          // Shown running before it runs: a job holding a slot is never listed as queued.
          return started;
        },
        onProgress: ({ rows }) => {
          job.updateProgress({ rows }).catch(() => {});
        },
        // Recorded inside the slots: a job shown running always holds one.
        beforeRelease: async (outcome) => {
          ran = true;
          ended = finish(outcome).catch((error: unknown) => error);
          await ended;
        },
      });
    } catch (error) {
      // Never ran: cancelled or stopped while it waited for a slot, or refused by a closing limiter.
      if (!ran) ended = finish({ error }).catch((recordError: unknown) => recordError);
    }
    const end = await ended;
    if (end instanceof Error || typeof end !== 'string') {
      // Not recorded (Redis unreachable): BullMQ retries it, or its lock lapses and another
      // replica runs it again from the start.
      throw end instanceof Error ? end : new Error('export job end not recorded');
    }
    if (end === 'retry') throw new Error(`export job ${id} lost its lock; another replica runs it`);
    if (end === 'requeued') {
      await job.moveToWait(token);
      options.leftActive(id).settle();
      throw new WaitingError();
    }
  }

  return processClusterJob;
}
