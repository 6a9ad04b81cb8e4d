import type { Writable } from 'node:stream';
import type {
  ColumnsOption,
  CsvProfile,
  ExportFormat,
  ExportFormatOptions,
  ExportPool,
  ExportProgress,
  ExportResult,
  PoolSource,
  UnknownFieldPolicy,
} from '@org/export-core';
import type { Limiter } from '@org/export-limiter';
import { classifyExportError, type ExportMetrics, observeExport } from '@org/export-metrics';
import type { FastifyBaseLogger } from 'fastify';
import type { ArtifactUpload } from '../artifacts/artifact-store.js';
import {
  ArtifactSizeMismatchError,
  ExportTimeoutError,
  TooManyRowsError,
  WorkerOutOfMemoryError,
} from '../errors.js';

export interface ExportContext {
  limiter: Limiter;
  /** The worker threads every export runs on: nothing per row runs on the event loop. */
  pool: ExportPool;
  /** Records one export may have (EXPORT_MAX_ROWS). */
  maxRows: number;
  metrics: ExportMetrics;
  timeoutSeconds: number;
  /** Slots shared with other processes (a cluster's), taken after this process's own. */
  sharedSlots?: SharedSlots | undefined;
}

/**
 * A concurrency cap beyond this process: every export, job or request, holds one of its slots
 * while it runs, so the cap holds across all replicas.
 */
export interface SharedSlots {
  /**
   * Resolves with the function that frees the slot once one is held. Rejects with a 429
   * (LIMITER_QUEUE_FULL) when every slot is taken and the shared queue is full, unless
   * `accepted` (a job, already counted in the queue); rejects when `signal` aborts.
   */
  acquire(options: SharedSlotRequest): Promise<() => Promise<void>>;
}

export interface SharedSlotRequest {
  /** Unique among everything that may hold a slot at once. */
  holder: string;
  signal: AbortSignal;
  accepted: boolean;
}

export interface ExportRequest {
  /** Names the export in the log line and in file names. */
  id: string;
  /** The request's logger: the export's one log line carries the request id. */
  log: FastifyBaseLogger;
  format: ExportFormat;
  /** Bytes the worker parses (a JSON body, an upload, a spooled file). */
  source: PoolSource;
  columns?: ColumnsOption | undefined;
  title?: string | undefined;
  /** The owner: the limiter key and the PDF's "User:" line. */
  user?: string | undefined;
  csvProfile?: CsvProfile | undefined;
  /** How values are written: dates' time zone, what null becomes, fields no column takes. */
  values?: ExportValueOptions | undefined;
  /**
   * A path (written atomically by the export library), a stream, or an upload to a store, begun
   * once the export holds its slot and completed before the export counts as done.
   */
  destination: string | Writable | UploadDestination;
  /** Aborts the export, queued or running: the client went away. */
  signal: AbortSignal;
  /** Called when the export leaves the queue; the export starts once what it returns settles. */
  onStart?: () => unknown;
  /**
   * Work already accepted (a stored job): it waits for a slot, this process's and the shared
   * one, however full their queues.
   */
  accepted?: boolean;
  /**
   * Keeps the shared slot held after the export, until this settles: a cluster job's slot is
   * freed once BullMQ has moved the job on, so the job never counts as neither running nor done.
   */
  sharedSlotHeldUntil?: Promise<unknown> | undefined;
  /** Rows and bytes written so far, a few times a second while the export runs. */
  onProgress?: (progress: ExportProgress) => void;
  /**
   * Called once the export has run, before its slot is freed, so that what it does (a job saving
   * its end) counts toward the concurrency cap. Must not reject.
   */
  beforeRelease?: (outcome: ExportOutcome) => Promise<void>;
}

/** An object in a store: begun when the export starts, aborted when it fails. */
export interface UploadDestination {
  upload: () => ArtifactUpload;
}

/** The request's options for values; absent ones take the library's defaults. */
export interface ExportValueOptions {
  timeZone?: string | undefined;
  nullText?: string | undefined;
  unknownFields?: UnknownFieldPolicy | undefined;
}

/** How an export that ran ended. */
export type ExportOutcome = { result: ExportResult } | { error: unknown };

const progressIntervalMs = 250;

/**
 * One export through the one limiter, observed by the metrics, bounded by the export timeout.
 * Every route that exports goes through here, so they all queue, count and time out alike.
 */
export async function executeExport(
  context: ExportContext,
  request: ExportRequest,
): Promise<ExportResult> {
  const { id, format, user, log } = request;
  try {
    const result = await observeAndRun(context, request);
    log.info(
      {
        exportId: id,
        format,
        user,
        rows: result.rows,
        bytes: result.bytes,
        durationMs: Math.round(result.durationMs),
        ...lossesOf(result),
        outcome: 'success',
      },
      'export finished',
    );
    return result;
  } catch (error) {
    const { outcome, reason } = classifyExportError(error);
    log.info(
      { exportId: id, format, user, outcome, reason, code: (error as { code?: string })?.code },
      'export did not finish',
    );
    throw error;
  }
}

/**
 * What the file could not hold, for the log line: fields no column took and cut PDF cells,
 * present only when there were some.
 */
export function lossesOf(result: ExportResult): Record<string, unknown> {
  const losses: Record<string, unknown> = {};
  if (result.droppedFields.count > 0) losses.droppedFields = result.droppedFields;
  if (result.truncatedCells.count > 0) losses.truncatedCells = result.truncatedCells;
  return losses;
}

function observeAndRun(context: ExportContext, request: ExportRequest): Promise<ExportResult> {
  const { limiter, metrics, sharedSlots } = context;
  return observeExport(metrics, request.format, (markStarted) =>
    limiter.run(
      async (slotSignal) => {
        // Waiting for a shared slot is still queueing: the export starts once it holds both.
        const releaseShared = await sharedSlots?.acquire({
          holder: request.id,
          signal: slotSignal,
          accepted: request.accepted ?? false,
        });
        try {
          markStarted();
          await request.onStart?.();
          const outcome = await runInSlot(context, request, slotSignal).then(
            (result): ExportOutcome => ({ result }),
            (error: unknown): ExportOutcome => ({ error }),
          );
          await request.beforeRelease?.(outcome);
          if ('error' in outcome) throw outcome.error;
          return outcome.result;
        } finally {
          const heldUntil = request.sharedSlotHeldUntil;
          if (heldUntil && releaseShared) void heldUntil.then(releaseShared, releaseShared);
          else await releaseShared?.();
        }
      },
      {
        signal: request.signal,
        ...(request.user ? { key: request.user } : {}),
        ...(request.accepted ? { accepted: true } : {}),
      },
    ),
  );
}

async function runInSlot(
  context: ExportContext,
  request: ExportRequest,
  slotSignal: AbortSignal,
): Promise<ExportResult> {
  const { destination } = request;
  if (typeof destination === 'string' || !('upload' in destination)) {
    return runOnPool(context, request, destination, slotSignal);
  }
  const upload = destination.upload();
  // The store's own error (EXECUTOR_STORE_UNAVAILABLE) says more than the write failure the
  // export library reports for it.
  let storeError: unknown;
  upload.writable.on('error', (error: { code?: unknown }) => {
    if (typeof error?.code === 'string' && error.code.startsWith('EXECUTOR_STORE_')) {
      storeError ??= error;
    }
  });
  try {
    const result = await runOnPool(context, request, upload.writable, slotSignal);
    // Visible under its key before the export counts as done, and only if whole.
    const { bytes } = await upload.complete();
    if (bytes !== result.bytes) throw new ArtifactSizeMismatchError(bytes, result.bytes);
    return result;
  } catch (error) {
    await upload.abort().catch(() => {});
    throw storeError ?? error;
  }
}

async function runOnPool(
  context: ExportContext,
  request: ExportRequest,
  destination: string | Writable,
  slotSignal: AbortSignal,
): Promise<ExportResult> {
  const { pool, maxRows, timeoutSeconds } = context;
  const timeout = AbortSignal.timeout(timeoutSeconds * 1000);
  try {
    return await pool.run({
      source: request.source,
      ...formatOptions(request),
      columns: request.columns,
      destination,
      ...definedValueOptions(request.values),
      maxRows,
      signal: AbortSignal.any([slotSignal, timeout]),
      ...(request.onProgress ? { onProgress: request.onProgress, progressIntervalMs } : {}),
    });
  } catch (error) {
    if (timeout.aborted && !slotSignal.aborted) {
      throw Object.assign(new ExportTimeoutError(timeoutSeconds), { cause: error });
    }
    const { code } = error as { code?: unknown };
    if (code === 'EXPORT_TOO_MANY_ROWS') {
      throw Object.assign(new TooManyRowsError(maxRows), { cause: error });
    }
    if (code === 'EXPORT_WORKER_OUT_OF_MEMORY') {
      throw new WorkerOutOfMemoryError(pool.options.maxHeapMb);
    }
    // The executor's own limits fail inside the source (too many rows): its error, not the
    // generic "source failed", is the one to answer with.
    const cause = (error as { cause?: { code?: unknown } }).cause;
    if (typeof cause?.code === 'string' && cause.code.startsWith('EXECUTOR_')) throw cause;
    throw error;
  }
}

/** The options of the request's format only: export-core refuses those of the other. */
function formatOptions(request: ExportRequest): ExportFormatOptions {
  if (request.format === 'csv') {
    return { format: 'csv', csv: { profile: request.csvProfile ?? 'excel' } };
  }
  if (request.format === 'xlsx') {
    return {
      format: 'xlsx',
      xlsx: {
        title: request.title ?? 'Export',
        ...(request.user ? { author: request.user } : {}),
      },
    };
  }
  return {
    format: 'pdf',
    pdf: {
      title: request.title ?? 'Export',
      meta: request.user ? [`User: ${request.user}`] : [],
      ...(request.user ? { author: request.user } : {}),
    },
  };
}

function definedValueOptions(values: ExportValueOptions | undefined): ExportValueOptions {
  const defined: ExportValueOptions = {};
  if (values?.timeZone !== undefined) defined.timeZone = values.timeZone;
  if (values?.nullText !== undefined) defined.nullText = values.nullText;
  if (values?.unknownFields !== undefined) defined.unknownFields = values.unknownFields;
  return defined;
}

/**
 * Counts a refusal decided before `executeExport` was called (an early `limiter.refusal()`, a
 * user's job quota) as `rejected`, as the metrics count one that `run` makes; returns the error
 * to throw.
 */
export function countRefusal(context: ExportContext, format: ExportFormat, refusal: Error): Error {
  context.metrics.requestsTotal.inc({ format, outcome: 'rejected' });
  return refusal;
}

/**
 * Counts an export that failed before `executeExport` was called (a job upload that could not be
 * spooled: a bad line, too many rows, a full disk) as a failed run is counted, with its reason;
 * returns the error to throw.
 */
export function countFailure(
  context: ExportContext,
  format: ExportFormat,
  error: unknown,
): unknown {
  observeExport(context.metrics, format, () => Promise.reject(error)).catch(() => {});
  return error;
}
