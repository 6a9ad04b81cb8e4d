import { createReadStream } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { runExportWith } from '../run-export.js';
import { fromJsonArray } from '../source/from-json-array.js';
import { fromNdjson } from '../source/from-ndjson.js';
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
    const result = await runExportWith(
      {
        source: recordsOf(task),
        format: task.format,
        columns: task.columns,
        destination,
        signal: abort.signal,
        onProgress: ({ rows, bytes }) =>
          control.postMessage({ type: 'progress', rows, bytes } satisfies ControlMessage),
        ...(task.progressIntervalMs === undefined
          ? {}
          : { progressIntervalMs: task.progressIntervalMs }),
        ...(task.maxRows === undefined ? {} : { maxRows: task.maxRows }),
        ...(task.csv ? { csv: task.csv } : {}),
        ...(task.pdf ? { pdf: task.pdf } : {}),
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

/** The records of a task's source, parsed here when they come as bytes. */
export function recordsOf(
  task: Pick<ExportTask, 'source' | 'maxLineBytes' | 'maxRecordBytes'>,
): AsyncIterable<unknown> {
  const { source } = task;
  if (source.kind === 'records')
    return flatten(receiveFromPort<unknown[]>(source.port, recordBatchesAhead));
  const bytes = bytesOf(source);
  if (source.kind === 'ndjson') {
    return fromNdjson(
      bytes,
      task.maxLineBytes === undefined ? {} : { maxLineBytes: task.maxLineBytes },
    );
  }
  return fromJsonArray(
    bytes,
    task.maxRecordBytes === undefined ? {} : { maxRecordBytes: task.maxRecordBytes },
  );
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
  for await (const batch of batches) yield* batch;
}
