import { rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Job, WaitingError } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import { errorResponse } from '../error-response.js';
import {
  type ExportContext,
  type ExportOutcome,
  executeExport,
} from '../exports/execute-export.js';
import { jobExportOptions, jobLossesOf } from '../jobs/job-export-options.js';
import { type JobFiles, removeRunFiles } from '../jobs/job-files.js';
import { finishedJobStatuses, type JobRecord } from '../jobs/job-record.js';
import { removePartialFiles } from '../jobs/remove-partial-files.js';
import { writeJsonFile } from '../jobs/write-json-file.js';
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
  /** Whether a DELETE asked for this job to be cancelled (set before it runs, or while queued). */
  isCancelRequested(id: string): Promise<boolean>;
  files: JobFiles;
  context: ExportContext;
  log: FastifyBaseLogger;
  maxLineBytes: number;
  isoNow: () => string;
  /**
   * Resolves once BullMQ has moved the job out of its active list (the worker's `completed` or
   * `failed` event), or after `moveToWait`: its cluster slot is held until then.
   */
  leftActive(id: string): { promise: Promise<void>; settle: () => void };
}

export type ClusterJobData = { id: string };

type JobEnd = 'done' | 'failed' | 'cancelled' | 'requeue' | 'retry';

const localRoomPollMs = 100;
// The local refusals an accepted job waits out: the whole queue full, or its owner's share of it.
const localQueueFullCodes: ReadonlySet<string> = new Set([
  'LIMITER_QUEUE_FULL',
  'LIMITER_KEY_QUEUE_FULL',
]);
// How long after its processor ends a job's slot is freed if BullMQ never says it moved on.
const lockFallbackMs = 10_000;

/**
 * Runs one BullMQ job on this replica, from its spooled input in the shared folder to its file
 * and record. Every end is recorded before the job's slots are freed. A job stopped by this
 * replica's shutdown goes back to BullMQ's wait list for another replica; one whose lock was
 * lost throws, for BullMQ's stalled-job recovery to hand it on.
 */
export function createClusterJobProcessor(options: ClusterJobProcessorOptions) {
  const { records, files, context, log, maxLineBytes, isoNow } = options;
  const { limiter } = context;

  async function save(record: JobRecord, change: Partial<JobRecord>): Promise<JobRecord> {
    const next = { ...record, ...change };
    await records.save(next);
    return next;
  }

  async function recordEnd(
    record: JobRecord,
    end: 'failed' | 'cancelled',
    error?: unknown,
  ): Promise<void> {
    await removeRunFiles(files, record);
    const { code, message } = errorResponse(error);
    await save(record, {
      status: end,
      finishedAt: isoNow(),
      rows: null,
      bytes: null,
      sha256: null,
      error: end === 'failed' ? { code, message } : null,
    });
  }

  async function recordDone(record: JobRecord, outcome: ExportOutcome): Promise<void> {
    if (!('result' in outcome)) return;
    const { rows, bytes, sha256 } = outcome.result;
    const losses = jobLossesOf(outcome.result);
    const finishedAt = isoNow();
    // The manifest lands before the record says done: a done job always has one.
    await writeJsonFile(files.manifest(record.id), {
      id: record.id,
      format: record.format,
      rows,
      bytes,
      sha256,
      columns: record.columns,
      owner: record.owner,
      createdAt: record.createdAt,
      finishedAt,
      ...losses,
    });
    await rm(files.input(record.id), { force: true });
    await save(record, { status: 'done', rows, bytes, sha256, finishedAt, error: null, ...losses });
  }

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
      await recordEnd(record, 'cancelled');
      return;
    }
    // A replica that died running this job left its temp file; the lock says it is ours now.
    await removePartialFiles(files.folder(id));

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
    const user = record.owner ?? record.options.user;
    const key = user === undefined ? {} : { key: user };
    // Whether the export ran, its end then recorded inside its slots.
    let ran = false;
    let recorded: Promise<unknown> = Promise.resolve();
    let started: Promise<JobRecord | undefined> = Promise.resolve(undefined);
    const endOf = async (result: ExportOutcome): Promise<JobEnd> => {
      if (stop.aborted && stop.reason === cancelReasons.lockLost) return 'retry';
      if (stop.aborted && stop.reason === cancelReasons.cancelled) return 'cancelled';
      if (await options.isCancelRequested(id)) return 'cancelled';
      if ('result' in result) return 'done';
      return stop.aborted || stoppedByShutdown(result.error) ? 'requeue' : 'failed';
    };
    const finish = async (result: ExportOutcome): Promise<JobEnd> => {
      const end = await endOf(result);
      const current = (await started) ?? record;
      if (end === 'done') await recordDone(current, result);
      else if (end === 'failed')
        await recordEnd(current, 'failed', 'error' in result ? result.error : undefined);
      else if (end === 'cancelled') await recordEnd(current, 'cancelled');
      else if (end === 'requeue') await save(current, { status: 'queued', startedAt: null });
      return end;
    };

    try {
      // The local limiter is shared with /export/run and /export/stream: wait for room in it
      // rather than be refused, since this job is accepted already.
      while (localQueueFullCodes.has(limiter.refusal(key)?.code ?? '')) {
        await sleep(localRoomPollMs, undefined, { signal: stop });
      }
      await executeExport(context, {
        id,
        log,
        format: record.format,
        source: { ndjson: { file: files.input(id) }, maxLineBytes },
        ...jobExportOptions(record),
        user,
        destination: files.artifact(id, record.format),
        signal: stop,
        accepted: true,
        sharedSlotHeldUntil: leftActive,
        onStart: () => {
          log.info(
            { jobId: id, attempt: job.attemptsStarted },
            'export job started on this replica',
          );
          started = save(record, { status: 'running', startedAt: isoNow() }).catch(
            (error: unknown) => {
              log.warn({ err: error, jobId: id }, 'export job start could not be recorded');
              return undefined;
            },
          );
          // Shown running before it runs: a job holding a slot is never listed as queued.
          return started;
        },
        onProgress: ({ rows }) => {
          job.updateProgress({ rows }).catch(() => {});
        },
        // Recorded inside the slots: a job shown running always holds one.
        beforeRelease: async (result) => {
          ran = true;
          recorded = finish(result).catch((error: unknown) => error);
          await recorded;
        },
      });
    } catch (error) {
      // Never ran: cancelled or stopped while it waited for a slot, or refused by a closing limiter.
      if (!ran) recorded = finish({ error }).catch((recordError: unknown) => recordError);
    }
    const end = await recorded;
    if (end instanceof Error || typeof end !== 'string') {
      // Not recorded (Redis unreachable): BullMQ retries it, or its lock lapses and another
      // replica runs it again from the start.
      throw end instanceof Error ? end : new Error('export job end not recorded');
    }
    if (end === 'retry') throw new Error(`export job ${id} lost its lock; another replica runs it`);
    if (end === 'requeue') {
      await job.moveToWait(token);
      options.leftActive(id).settle();
      throw new WaitingError();
    }
  }

  return processClusterJob;
}

// Aborted without a cancel, or refused while waiting, because this replica is shutting down.
function stoppedByShutdown(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'LIMITER_CLOSED' || code === 'EXPORT_ABORTED' || code === 'LIMITER_ABORTED';
}
