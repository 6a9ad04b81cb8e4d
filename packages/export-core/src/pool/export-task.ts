import type { MessagePort } from 'node:worker_threads';
import type { ColumnsOption } from '../columns/column-types.js';
import type { UnknownFieldPolicy } from '../columns/field-audit.js';
import type { CsvFormatOptions, PdfFormatOptions, XlsxFormatOptions } from '../export-options.js';
import type { ExportFormat } from '../formats.js';
import type { ExportResult } from '../run-export.js';

/** How records reach a worker: bytes it parses itself, or records in batches. */
export type TaskSource =
  | { kind: 'ndjson' | 'json'; bytes: Uint8Array }
  | { kind: 'ndjson' | 'json'; file: string }
  | { kind: 'ndjson' | 'json'; port: MessagePort }
  | { kind: 'records'; port: MessagePort };

export type TaskDestination = { file: string; temporaryPath: string } | { port: MessagePort };

/** One export as posted to a worker: only what a structured clone can carry. */
export interface ExportTask {
  format: ExportFormat;
  source: TaskSource;
  destination: TaskDestination;
  /** Main to worker: `abort`; worker to main: `started`, `progress`. */
  control: MessagePort;
  columns?: ColumnsOption | undefined;
  maxRows?: number | undefined;
  unknownFields?: UnknownFieldPolicy | undefined;
  nullText?: string | undefined;
  timeZone?: string | undefined;
  maxLineBytes?: number | undefined;
  maxRecordBytes?: number | undefined;
  maxDepth?: number | undefined;
  progressIntervalMs?: number | undefined;
  csv?: CsvFormatOptions | undefined;
  pdf?: PdfFormatOptions | undefined;
  xlsx?: XlsxFormatOptions | undefined;
}

export type ControlMessage =
  | { type: 'started'; threadId: number }
  | { type: 'progress'; rows: number; bytes: number };

export type ControlRequest = { type: 'abort' };

/** An error as it crosses back: a structured clone keeps neither the class nor the code. */
export interface SerializedError {
  name: string;
  code?: string;
  message: string;
  row?: number;
  line?: number;
  offset?: number;
  /** The system error underneath (a write's ENOSPC, say), which the caller may classify by. */
  cause?: { code: string; message: string };
}

export type TaskOutcome =
  | { ok: true; result: ExportResult }
  | { ok: false; error: SerializedError };

/** Records checked, counted and written to a file as NDJSON, for an export that runs later. */
export interface SpoolTask {
  source: TaskSource;
  /** Created new (`wx`); removed again on any failure. */
  destination: string;
  control: MessagePort;
  maxRows?: number | undefined;
  maxLineBytes?: number | undefined;
  maxRecordBytes?: number | undefined;
  maxDepth?: number | undefined;
}

export interface SpoolResult {
  rows: number;
  bytes: number;
  /** For column keys when none were named; `undefined` when there are no records. */
  firstRecord: unknown;
  /**
   * Every field of every record, in the order first seen (positions, for array records): the
   * columns that drop nothing, when none were named.
   */
  keys: string[];
}

/**
 * The first record comes back as its JSON line: a record of any shape (nested 100,000 deep,
 * say) crosses as text, where a structured clone of it could fail.
 */
export type SpoolOutcome =
  | { ok: true; result: Omit<SpoolResult, 'firstRecord'> & { firstLine: string | undefined } }
  | { ok: false; error: SerializedError };

export interface InspectJsonTask {
  bytes: Uint8Array;
  recordsKey: string;
  maxRecordBytes?: number | undefined;
  maxRecords?: number | undefined;
  maxDepth?: number | undefined;
}
