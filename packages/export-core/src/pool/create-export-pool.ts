import { unlink } from 'node:fs/promises';
import { MessageChannel, type MessagePort, type TransferListItem } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { describeValue } from '../describe-value.js';
import { temporaryPathFor } from '../destination/atomic-file.js';
import {
  abortErrorOf,
  destinationClosedMessage,
  ExportAbortError,
  ExportError,
} from '../errors.js';
import type { ExportFormatOptions, ExportProgress, ExportSettings } from '../export-options.js';
import type { ExportResult } from '../run-export.js';
import type { InspectJsonDocumentOptions } from '../source/inspect-json-document.js';
import { parseJsonRecord } from '../source/parse-json-record.js';
import type {
  ControlMessage,
  ControlRequest,
  ExportTask,
  InspectJsonTask,
  SerializedError,
  SpoolOutcome,
  SpoolResult,
  SpoolTask,
  TaskDestination,
  TaskOutcome,
} from './export-task.js';
import type { InspectOutcome, JsonInspection } from './inspect-json-task.js';
import {
  type ExportPoolOptions,
  type NormalizedExportPoolOptions,
  normalizePoolOptions,
} from './normalize-pool-options.js';
import {
  invalid,
  normalizeExportOptions,
  normalizeSpoolOptions,
} from './normalize-pool-task-options.js';
import { type PortPipe, pipePortInto } from './pipe-port-into.js';
import { type PoolSource, preparePoolSource } from './pool-source.js';
import { reviveError } from './serialize-error.js';
import { failureOf, workerLost } from './task-failure.js';
import { workerFileUrl } from './worker-file-url.js';

/** `runExport`'s options, with a source a worker can read (records of `Row`, for `records`). */
export type PoolExportOptions<Row = unknown> = ExportSettings<Row> &
  ExportFormatOptions & { source: PoolSource<Row> };

export interface ExportPoolStats {
  /** Worker threads in the pool. */
  size: number;
  /** Worker threads running at least one export. */
  busy: number;
  /** Exports running on a worker now. */
  running: number;
  /** Exports waiting for a worker. */
  queued: number;
}

/** Options of `pool.spool`: records checked, counted and written to a file as NDJSON. */
export interface PoolSpoolOptions {
  source: PoolSource;
  /** A new file (an existing one is an error); removed again on any failure. */
  destination: string;
  /** More records fail with EXPORT_TOO_MANY_ROWS. Default: no limit. */
  maxRows?: number;
  signal?: AbortSignal;
}

export interface ExportPool {
  /** The options the pool runs with, defaults applied. */
  readonly options: NormalizedExportPoolOptions;
  /** Runs the export on a worker thread; resolves or rejects as `runExport` would. */
  run<Row = unknown>(options: PoolExportOptions<Row>): Promise<ExportResult>;
  /**
   * Reads the source on a worker and writes its records to `destination` as NDJSON, one per
   * line, fsynced: work a queue accepts now and exports later, with `{ ndjson: { file } }`.
   */
  spool(options: PoolSpoolOptions): Promise<SpoolResult>;
  /**
   * Checks a JSON object (a request body, say) on a worker in one pass, and returns its members
   * but the records at `recordsKey`, where they are, how many, and the first one; the records
   * themselves are not built. Pass `bytes` over a SharedArrayBuffer to share rather than copy them.
   */
  inspectJson(bytes: Uint8Array, options: InspectJsonDocumentOptions): Promise<JsonInspection>;
  stats(): ExportPoolStats;
  /** Waits for running exports, then stops the workers; `run` then fails with EXPORT_POOL_CLOSED. */
  close(): Promise<void>;
}

const unboundedTasksPerWorker = 1_000_000;

/**
 * Worker threads that run exports off the caller's thread: records are parsed, formatted,
 * hashed and written there, so the caller's event loop only moves bytes. Create one per process.
 */
export function createExportPool(options: ExportPoolOptions = {}): ExportPool {
  const normalizedOptions = normalizePoolOptions(options);
  const { size, maxHeapMb } = normalizedOptions;
  const piscina = new Piscina({
    filename: workerFileUrl().href,
    minThreads: size,
    maxThreads: size,
    idleTimeout: Number.POSITIVE_INFINITY,
    // Every task starts at once on the least busy worker, and tasks on one worker interleave while
    // they wait on their source or destination: an export held up by a slow client, or a long
    // upload being spooled, never keeps another task from starting. Callers bound how many run.
    concurrentTasksPerWorker: unboundedTasksPerWorker,
    // Tasks are asynchronous and share a worker: a worker must never block between them.
    atomics: 'disabled',
    recordTiming: false,
    resourceLimits: { maxOldGenerationSizeMb: maxHeapMb },
  });
  // A worker terminated while it still loads its modules can abort the whole process (a V8
  // check fails: "IsGraphAsync must be used on an instantiated module"). One task per first
  // worker, spread by piscina's least-busy balancing, tells when each has loaded; close waits.
  const firstWorkersLoaded = Promise.allSettled(
    Array.from({ length: size }, () => piscina.run(null, { name: 'workerLoadedTask' })),
  );
  // An uncaught error in an idle worker: piscina replaces the worker; nothing else to do.
  piscina.on('error', () => {});
  const runningByThread = new Map<number, number>();
  let running = 0;
  let closed = false;

  const countStart = (threadId: number) => {
    running += 1;
    runningByThread.set(threadId, (runningByThread.get(threadId) ?? 0) + 1);
  };
  const countEnd = (threadId: number) => {
    running -= 1;
    const left = (runningByThread.get(threadId) ?? 1) - 1;
    if (left > 0) runningByThread.set(threadId, left);
    else runningByThread.delete(threadId);
  };

  async function run<Row>(exportOptions: PoolExportOptions<Row>): Promise<ExportResult> {
    if (closed) throw new ExportError('EXPORT_POOL_CLOSED', 'the export pool is closed');
    const normalized = normalizeExportOptions(exportOptions);
    const { signal, onProgress, destination } = normalized;
    if (signal?.aborted) throw abortErrorOf(signal);
    const source = preparePoolSource(normalized.source);
    const control = new MessageChannel();
    const transfer: TransferListItem[] = [control.port2, ...source.transfer];
    let taskDestination: TaskDestination;
    let output: PortPipe | undefined;
    if (typeof destination === 'string') {
      taskDestination = { file: destination, temporaryPath: temporaryPathFor(destination) };
    } else {
      const channel = new MessageChannel();
      taskDestination = { port: channel.port2 };
      transfer.push(channel.port2);
      output = pipePortInto(channel.port1, destination);
    }
    const task: ExportTask = {
      format: normalized.format,
      source: source.task,
      destination: taskDestination,
      control: control.port2,
      columns: normalized.columns,
      maxRows: normalized.maxRows,
      unknownFields: normalized.unknownFields,
      nullText: normalized.nullText,
      timeZone: normalized.timeZone,
      progressIntervalMs: normalized.progressIntervalMs,
      csv: normalized.csv,
      pdf: normalized.pdf,
      xlsx: normalized.xlsx,
      ...source.limits,
    };

    const outcome = await dispatch<TaskOutcome>('default', task, transfer, control.port1, {
      signal,
      onProgress,
      afterTask: () => source.sender?.stop(),
    });
    if (outcome.ok) {
      await output?.settled;
      return outcome.result;
    }
    const error =
      output?.closedEarly() && !signal?.aborted
        ? new ExportAbortError({ message: destinationClosedMessage })
        : failureOf(outcome.error, signal, source.sender?.failure());
    if (typeof destination === 'string' && 'temporaryPath' in taskDestination) {
      // A worker that died left its temp file behind; one that failed has removed it already.
      await unlink(taskDestination.temporaryPath).catch(() => {});
    } else if (typeof destination !== 'string') {
      // As runExport: a failed export destroys its Writable, so a reader sees it was cut short;
      // the error is the caller's to handle through this rejection, not an 'error' event.
      destination.once('error', () => {});
      destination.destroy(error);
    }
    throw error;
  }

  /**
   * Runs a task on a worker: its control port counts it as running once a worker has it, passes
   * an abort on, and reports progress. A worker that died answers as a failed task.
   */
  async function dispatch<Outcome>(
    name: 'default' | 'spoolRecordsTask',
    task: object,
    transfer: TransferListItem[],
    control: MessagePort,
    hooks: {
      signal?: AbortSignal | undefined;
      onProgress?: ((progress: ExportProgress) => void) | undefined;
      afterTask?: () => void;
    },
  ): Promise<Outcome | { ok: false; error: SerializedError }> {
    const { signal, onProgress } = hooks;
    let startedOn: number | undefined;
    control.on('message', (message: ControlMessage) => {
      if (message.type === 'started') {
        startedOn = message.threadId;
        countStart(message.threadId);
      } else onProgress?.({ rows: message.rows, bytes: message.bytes });
    });
    const onAbort = () => control.postMessage({ type: 'abort' } satisfies ControlRequest);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return (await piscina.run(task, { name, transferList: transfer })) as Outcome;
    } catch (error) {
      return { ok: false, error: workerLost(error, maxHeapMb) };
    } finally {
      signal?.removeEventListener('abort', onAbort);
      control.close();
      if (startedOn !== undefined) countEnd(startedOn);
      hooks.afterTask?.();
    }
  }

  async function spool(spoolOptions: PoolSpoolOptions): Promise<SpoolResult> {
    if (closed) throw new ExportError('EXPORT_POOL_CLOSED', 'the export pool is closed');
    const { destination, signal, maxRows } = normalizeSpoolOptions(spoolOptions);
    if (signal?.aborted) throw abortErrorOf(signal);
    const source = preparePoolSource(spoolOptions.source);
    const control = new MessageChannel();
    const task: SpoolTask = {
      source: source.task,
      destination,
      control: control.port2,
      maxRows,
      ...source.limits,
    };
    const outcome = await dispatch<SpoolOutcome>(
      'spoolRecordsTask',
      task,
      [control.port2, ...source.transfer],
      control.port1,
      { signal, afterTask: () => source.sender?.stop() },
    );
    if (outcome.ok) {
      const { firstLine, ...counts } = outcome.result;
      return {
        ...counts,
        firstRecord: firstLine === undefined ? undefined : parseJsonRecord(firstLine),
      };
    }
    const error = failureOf(outcome.error, signal, source.sender?.failure());
    // A worker that died left its file behind; one that failed has removed it already.
    if (
      outcome.error.code === 'EXPORT_WORKER_OUT_OF_MEMORY' ||
      outcome.error.code === 'EXPORT_INTERNAL'
    ) {
      await unlink(destination).catch(() => {});
    }
    throw error;
  }

  async function inspectJson(
    bytes: Uint8Array,
    inspectOptions: InspectJsonDocumentOptions,
  ): Promise<JsonInspection> {
    if (closed) throw new ExportError('EXPORT_POOL_CLOSED', 'the export pool is closed');
    if (!(bytes instanceof Uint8Array)) {
      throw invalid(`\`bytes\` must be a Uint8Array, got ${describeValue(bytes)}`);
    }
    const recordsKey = inspectOptions?.recordsKey;
    if (typeof recordsKey !== 'string') {
      throw invalid(`option \`recordsKey\` must be a string, got ${describeValue(recordsKey)}`);
    }
    const shared = bytes.buffer instanceof SharedArrayBuffer;
    const sent = shared ? bytes : new Uint8Array(bytes);
    const task: InspectJsonTask = {
      bytes: sent,
      recordsKey,
      maxRecordBytes: inspectOptions.maxRecordBytes,
      maxRecords: inspectOptions.maxRecords,
      maxDepth: inspectOptions.maxDepth,
    };
    let outcome: InspectOutcome;
    try {
      outcome = (await piscina.run(task, {
        name: 'inspectJsonTask',
        transferList: shared ? [] : [sent.buffer as ArrayBuffer],
      })) as InspectOutcome;
    } catch (error) {
      outcome = { ok: false, error: workerLost(error, maxHeapMb) };
    }
    if (outcome.ok) return outcome.result;
    throw reviveError(outcome.error);
  }

  return {
    options: normalizedOptions,
    run,
    spool,
    inspectJson,
    stats: () => ({ size, busy: runningByThread.size, running, queued: piscina.queueSize }),
    async close() {
      if (closed) return;
      closed = true;
      await firstWorkersLoaded;
      await piscina.close();
    },
  };
}
