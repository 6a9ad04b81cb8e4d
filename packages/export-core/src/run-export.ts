import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type DroppedFields, FieldAudit } from './columns/field-audit.js';
import { normalizeColumns } from './columns/normalize-columns.js';
import { createCsvStream } from './csv/create-csv-stream.js';
import { describeValue } from './describe-value.js';
import { type AtomicFile, openAtomicFile } from './destination/atomic-file.js';
import { abortErrorOf, destinationClosedMessage, ExportAbortError, ExportError } from './errors.js';
import type { ExportProgress, RunExportOptions } from './export-options.js';
import type { ExportFormat } from './formats.js';
import { normalizeRunOptions } from './normalize-run-options.js';
import { createPdfStream } from './pdf/create-pdf-stream.js';
import { toReadable } from './source/to-readable.js';
import type { TruncatedCells } from './values/truncated-cells.js';
import { createXlsxStream } from './xlsx/create-xlsx-stream.js';

export interface ExportResult {
  format: ExportFormat;
  rows: number;
  /** Bytes really written, and their SHA-256 in hex. */
  bytes: number;
  sha256: string;
  durationMs: number;
  /** The final path, for a file destination. */
  path?: string;
  /** Fields of the records that no column took (`unknownFields: 'report'`). */
  droppedFields: DroppedFields;
  /**
   * Text cells cut with "…" (a header once): a PDF's to fit their column, an XLSX's to 32,767
   * characters; always 0 for CSV.
   */
  truncatedCells: TruncatedCells;
}

/**
 * Streams the records of `source` into a CSV, PDF or XLSX at `destination`, pulling records only as
 * fast as the destination takes bytes. On any failure or abort, no file is left at the path.
 */
export function runExport<Row = unknown>(options: RunExportOptions<Row>): Promise<ExportResult> {
  return runExportWith(options, {});
}

/** What only the worker pool passes: the temp file's name, chosen by the thread that may have to remove it. */
export interface RunExportInternals {
  temporaryPath?: string;
}

export async function runExportWith<Row>(
  options: RunExportOptions<Row>,
  internals: RunExportInternals,
): Promise<ExportResult> {
  const startedAt = performance.now();
  const {
    format,
    csv,
    pdf,
    xlsx,
    destination,
    signal,
    onProgress,
    progressIntervalMs,
    maxRows,
    unknownFields,
    columnDefaults,
  } = normalizeRunOptions(options);
  const input = toReadable(options.source);
  const writerOptions = { columns: options.columns, ...columnDefaults };
  // The PDF and XLSX writers count the cells they cut; the CSV cuts none.
  const reportingStream =
    format === 'pdf'
      ? createPdfStream({ ...pdf, ...writerOptions })
      : format === 'xlsx'
        ? createXlsxStream({ ...xlsx, ...writerOptions })
        : undefined;
  const formatter = reportingStream ?? createCsvStream({ ...csv, ...writerOptions });
  const audit = new FieldAudit(unknownFields);
  if (options.columns !== undefined) audit.useColumns(normalizeColumns(options.columns));
  if (signal?.aborted) throw abortErrorOf(signal);

  const progress: ExportProgress = { rows: 0, bytes: 0 };
  let lastProgressAt = 0;
  const reportProgress = (force: boolean) => {
    if (!onProgress) return;
    const now = performance.now();
    if (!force && now - lastProgressAt < progressIntervalMs) return;
    lastProgressAt = now;
    onProgress({ ...progress });
  };

  let file: AtomicFile | undefined;
  try {
    file =
      typeof destination === 'string'
        ? await openAtomicFile(destination, internals.temporaryPath)
        : undefined;
  } catch (error) {
    throw writeFailed(error);
  }
  const sink = file ? file.stream : (destination as Writable);

  // Taps instead of extra pipeline stages: a stage per row costs more than the formatting.
  const hash = createHash('sha256');
  input.on('data', (record: unknown) => {
    const row = progress.rows;
    progress.rows += 1;
    if (progress.rows > maxRows) input.destroy(tooManyRows(maxRows));
    // A record that is not an object is the formatter's to refuse, with its own message.
    if (record === null || typeof record !== 'object') return;
    try {
      if (!audit.ready) audit.useColumns(normalizeColumns(undefined, record));
      audit.check(record, row);
    } catch (error) {
      input.destroy(error as Error);
    }
  });
  formatter.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    progress.bytes += chunk.length;
    reportProgress(false);
  });
  // The first stream to fail says why; the pipeline then destroys the others with its error.
  let firstFailure:
    | { from: 'source' | 'formatter' | 'destination' | 'reader'; error: unknown }
    | undefined;
  input.once('error', (error) => {
    firstFailure ??= { from: 'source', error };
  });
  formatter.once('error', (error) => {
    // Its own errors are coded ExportErrors; anything else from it is ours, not the source's.
    firstFailure ??= { from: 'formatter', error };
  });
  sink.once('error', (error) => {
    firstFailure ??= { from: 'destination', error };
  });
  // Closed before it finished, with no error of its own: its reader left (a client hung up).
  // The pipeline then fails every stream with "Premature close", which is no fault of ours.
  sink.once('close', () => {
    if (!sink.writableFinished) firstFailure ??= { from: 'reader', error: undefined };
  });

  try {
    await pipeline(input, formatter, sink, signal ? { signal } : {});
    await file?.commit().catch((error: unknown) => {
      firstFailure ??= { from: 'destination', error };
      throw error;
    });
  } catch (error) {
    await file?.discard().catch(() => {});
    if (signal?.aborted) throw abortErrorOf(signal);
    if (firstFailure?.from === 'reader') {
      throw new ExportAbortError({ message: destinationClosedMessage, cause: error });
    }
    const cause = firstFailure?.error ?? error;
    if (cause instanceof ExportError) throw cause;
    if (firstFailure?.from === 'destination') throw writeFailed(cause);
    if (firstFailure?.from === 'source') throw sourceFailed(cause, progress.rows);
    throw new ExportError('EXPORT_INTERNAL', `the export failed: ${(error as Error)?.message}`, {
      cause: error,
    });
  }

  reportProgress(true);
  const result: ExportResult = {
    format,
    rows: progress.rows,
    bytes: progress.bytes,
    sha256: hash.digest('hex'),
    durationMs: performance.now() - startedAt,
    droppedFields: audit.dropped,
    truncatedCells: reportingStream?.truncatedCells ?? { count: 0, columns: [] },
  };
  if (file) result.path = file.path;
  return result;
}

function sourceFailed(error: unknown, rows: number): ExportError {
  return new ExportError(
    'EXPORT_SOURCE_FAILED',
    `the source failed after ${rows} records: ${(error as Error)?.message ?? describeValue(error)}`,
    { cause: error, row: rows },
  );
}

function tooManyRows(maxRows: number): ExportError {
  return new ExportError(
    'EXPORT_TOO_MANY_ROWS',
    `the source has more than ${maxRows} records (option \`maxRows\`)`,
    { row: maxRows },
  );
}

function writeFailed(error: unknown): ExportError {
  return new ExportError(
    'EXPORT_WRITE_FAILED',
    `writing the export failed: ${(error as Error)?.message ?? describeValue(error)}`,
    { cause: error },
  );
}
