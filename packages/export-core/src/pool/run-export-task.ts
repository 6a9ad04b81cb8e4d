import { createReadStream } from 'node:fs';
import { threadId } from 'node:worker_threads';
import type { ColumnsOption } from '../columns/column-types.js';
import { unionOfKeys } from '../columns/union-of-keys.js';
import type { ExportFormatOptions } from '../export-options.js';
import { measurePdfColumns } from '../pdf/measure-pdf-columns.js';
import type { PdfMeasuredWidths } from '../pdf/measured-widths.js';
import { runExportWith } from '../run-export.js';
import { fromJsonArray } from '../source/from-json-array.js';
import { fromNdjson } from '../source/from-ndjson.js';
import { measureXlsxColumns } from '../xlsx/measure-xlsx-columns.js';
import type { XlsxMeasuredWidths } from '../xlsx/xlsx-column-widths.js';
import type {
  ControlMessage,
  ControlRequest,
  ExportTask,
  TaskOutcome,
  TaskSource,
} from './export-task.js';
import { receiveFromPort } from './port-channel.js';
import { portWritable } from './port-writable.js';
import { serializeError } from './serialize-error.js';

// Items asked for ahead: enough to hide a round trip between threads, few enough to stay small.
const byteChunksAhead = 4;
const recordBatchesAhead = 2;
const outputChunksInFlight = 8;

/** Runs one export in a worker thread: parses its bytes, formats, hashes and writes them here. */
export default async function runExportTask(task: ExportTask): Promise<TaskOutcome> {
  const { control } = task;
  const abort = new AbortController();
  control.on('message', (request: ControlRequest) => {
    if (request.type === 'abort') abort.abort(new Error('the export was aborted by its caller'));
  });
  control.postMessage({ type: 'started', threadId } satisfies ControlMessage);
  try {
    const destination =
      'file' in task.destination
        ? task.destination.file
        : portWritable(task.destination.port, outputChunksInFlight);
    const firstPassed = await firstPass(task);
    const { columns } = firstPassed;
    const formatOptions = taskFormatOptions(task, firstPassed);
    const result = await runExportWith(
      {
        source: recordsOf(task),
        ...formatOptions,
        ...(columns === undefined ? {} : { columns }),
        ...(task.unknownFields === undefined ? {} : { unknownFields: task.unknownFields }),
        ...(task.nullText === undefined ? {} : { nullText: task.nullText }),
        ...(task.timeZone === undefined ? {} : { timeZone: task.timeZone }),
        destination,
        signal: abort.signal,
        onProgress: ({ rows, bytes }) =>
          control.postMessage({ type: 'progress', rows, bytes } satisfies ControlMessage),
        ...(task.progressIntervalMs === undefined
          ? {}
          : { progressIntervalMs: task.progressIntervalMs }),
        ...(task.maxRows === undefined ? {} : { maxRows: task.maxRows }),
      },
      'file' in task.destination ? { temporaryPath: task.destination.temporaryPath } : {},
    );
    return { ok: true, result };
  } catch (error) {
    return { ok: false, error: serializeError(error) };
  } finally {
    control.close();
  }
}

interface FirstPass {
  columns: ColumnsOption | undefined;
  pdfWidths?: PdfMeasuredWidths;
  xlsxWidths?: XlsxMeasuredWidths;
}

function taskFormatOptions(task: ExportTask, measured: FirstPass): ExportFormatOptions {
  switch (task.format) {
    case 'pdf': {
      const { pdfWidths } = measured;
      const pdf = pdfWidths ? { ...task.pdf, measuredWidths: pdfWidths } : task.pdf;
      return { format: 'pdf', ...(pdf ? { pdf } : {}) };
    }
    case 'xlsx': {
      const { xlsxWidths } = measured;
      const xlsx = xlsxWidths ? { ...task.xlsx, measuredWidths: xlsxWidths } : task.xlsx;
      return { format: 'xlsx', ...(xlsx ? { xlsx } : {}) };
    }
    case 'csv':
      return { format: 'csv', ...(task.csv ? { csv: task.csv } : {}) };
  }
}

/**
 * Input that can be read twice is read once first, so that the columns hold every field and,
 * for a PDF or an XLSX, the column widths fit every record (not only the first 100): one pass
 * for both.
 */
async function firstPass(task: ExportTask): Promise<FirstPass> {
  if (!isReplayable(task.source)) return { columns: task.columns };
  if (task.format === 'pdf' && task.pdf?.measuredWidths === undefined) {
    const measured = await measurePdfColumns(recordsOf(task), {
      ...task.pdf,
      ...(task.columns === undefined ? {} : { columns: task.columns }),
      ...(task.nullText === undefined ? {} : { nullText: task.nullText }),
      ...(task.timeZone === undefined ? {} : { timeZone: task.timeZone }),
    });
    return { columns: task.columns ?? measured.columns, pdfWidths: measured.measuredWidths };
  }
  if (task.format === 'xlsx' && task.xlsx?.measuredWidths === undefined) {
    const measured = await measureXlsxColumns(recordsOf(task), {
      ...task.xlsx,
      ...(task.columns === undefined ? {} : { columns: task.columns }),
      ...(task.nullText === undefined ? {} : { nullText: task.nullText }),
      ...(task.timeZone === undefined ? {} : { timeZone: task.timeZone }),
    });
    return { columns: task.columns ?? measured.columns, xlsxWidths: measured.measuredWidths };
  }
  return { columns: task.columns ?? (await unionOfKeys(recordsOf(task))) };
}

/** The records of a task's source, parsed here when they come as bytes. */
export function recordsOf(
  task: Pick<ExportTask, 'source' | 'maxLineBytes' | 'maxRecordBytes' | 'maxDepth'>,
): AsyncIterable<unknown> {
  const { source } = task;
  const depth = task.maxDepth === undefined ? {} : { maxDepth: task.maxDepth };
  if (source.kind === 'records')
    return flatten(receiveFromPort<unknown[]>(source.port, recordBatchesAhead));
  const bytes = bytesOf(source);
  if (source.kind === 'ndjson') {
    return fromNdjson(
      bytes,
      task.maxLineBytes === undefined
        ? { ...depth }
        : { maxLineBytes: task.maxLineBytes, ...depth },
    );
  }
  return fromJsonArray(
    bytes,
    task.maxRecordBytes === undefined
      ? { ...depth }
      : { maxRecordBytes: task.maxRecordBytes, ...depth },
  );
}

/** Bytes in memory or a file can be read again; a port's stream cannot. */
function isReplayable(source: TaskSource): boolean {
  return source.kind !== 'records' && !('port' in source);
}

function bytesOf(source: Exclude<TaskSource, { kind: 'records' }>): AsyncIterable<Uint8Array> {
  if ('bytes' in source) return once(source.bytes);
  if ('file' in source) return createReadStream(source.file);
  return receiveFromPort<Uint8Array>(source.port, byteChunksAhead);
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

async function* flatten(batches: AsyncIterable<unknown[]>): AsyncGenerator<unknown> {
  // Not `yield* batch`: a stream destroyed with an error throws it into this generator (Node 22+),
  // and an array's iterator has no `throw` to take it, which would replace the error.
  for await (const batch of batches) for (const record of batch) yield record;
}
