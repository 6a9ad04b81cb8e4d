import { MessageChannel, type TransferListItem } from 'node:worker_threads';
import { describeValue } from '../describe-value.js';
import { ExportError } from '../errors.js';
import { maxDepthOption } from '../source/max-depth-option.js';
import { type ExportSource, isExportSource, toAsyncIterable } from '../source/to-async-iterable.js';
import type { TaskSource } from './export-task.js';
import { type ChannelSender, sendThroughPort } from './port-channel.js';

/**
 * Bytes for a worker to parse: in memory (a Uint8Array over a SharedArrayBuffer is shared, any
 * other is copied once), a stream (any async iterable of chunks, such as a Readable or an HTTP
 * upload), or a file the worker reads itself.
 */
export type PoolBytes = Uint8Array | AsyncIterable<Uint8Array | string> | { file: string };

/** Where a pooled export's records come from; `Row` types the records of `records`. */
export type PoolSource<Row = unknown> =
  | { ndjson: PoolBytes; maxLineBytes?: number; maxDepth?: number }
  | { json: PoolBytes; maxRecordBytes?: number; maxDepth?: number }
  | { records: ExportSource<Row>; batchSize?: number };

export interface PreparedSource {
  task: TaskSource;
  transfer: TransferListItem[];
  /** Set when this thread feeds the worker (a stream, records): stop it when the task ends. */
  sender?: ChannelSender;
  limits: { maxLineBytes?: number; maxRecordBytes?: number; maxDepth?: number };
}

const defaultBatchSize = 500;

export function preparePoolSource(source: PoolSource): PreparedSource {
  if (source === null || typeof source !== 'object') throw badSource(source);
  if ('records' in source) {
    const batchSize = source.batchSize ?? defaultBatchSize;
    if (!(Number.isSafeInteger(batchSize) && batchSize >= 1)) {
      throw invalid(
        `option \`source.batchSize\` must be an integer >= 1, got ${describeValue(batchSize)}`,
      );
    }
    if (!isExportSource(source.records) || typeof source.records === 'string') {
      throw invalid(
        `option \`source.records\` must be an iterable or async iterable of records, got ${describeValue(source.records)}`,
      );
    }
    const channel = new MessageChannel();
    const sender = sendThroughPort(channel.port1, batches(source.records, batchSize), (batch) => ({
      item: batch,
    }));
    return {
      task: { kind: 'records', port: channel.port2 },
      transfer: [channel.port2],
      sender,
      limits: {},
    };
  }
  const kind = 'ndjson' in source ? 'ndjson' : 'json' in source ? 'json' : undefined;
  if (kind === undefined) throw badSource(source);
  const bytes =
    kind === 'ndjson'
      ? (source as { ndjson: PoolBytes }).ndjson
      : (source as { json: PoolBytes }).json;
  const limits = {
    ...(kind === 'ndjson'
      ? optionalLimit('maxLineBytes', (source as { maxLineBytes?: number }).maxLineBytes)
      : optionalLimit('maxRecordBytes', (source as { maxRecordBytes?: number }).maxRecordBytes)),
    ...optionalDepth((source as { maxDepth?: number }).maxDepth),
  };
  if (bytes instanceof Uint8Array) {
    if (bytes.buffer instanceof SharedArrayBuffer)
      return { task: { kind, bytes }, transfer: [], limits };
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    return { task: { kind, bytes: copy }, transfer: [copy.buffer], limits };
  }
  if (bytes !== null && typeof bytes === 'object' && 'file' in bytes) {
    if (typeof bytes.file !== 'string' || bytes.file === '') {
      throw invalid(
        `option \`source.${kind}.file\` must be a file path, got ${describeValue(bytes.file)}`,
      );
    }
    return { task: { kind, file: bytes.file }, transfer: [], limits };
  }
  if (bytes === null || typeof bytes !== 'object' || !(Symbol.asyncIterator in bytes)) {
    throw invalid(
      `option \`source.${kind}\` must be a Uint8Array, an async iterable of chunks or { file }, got ${describeValue(bytes)}`,
    );
  }
  const channel = new MessageChannel();
  const sender = sendThroughPort(channel.port1, bytes, (chunk: Uint8Array | string) => {
    const view = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    // A fresh copy to transfer: the chunk may be a slice of memory shared with other buffers.
    const copy = new Uint8Array(view.byteLength);
    copy.set(view);
    return { item: copy, transfer: [copy.buffer] };
  });
  return { task: { kind, port: channel.port2 }, transfer: [channel.port2], sender, limits };
}

async function* batches(records: ExportSource, batchSize: number): AsyncGenerator<unknown[]> {
  let batch: unknown[] = [];
  for await (const record of toAsyncIterable(records)) {
    batch.push(record);
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

function optionalLimit(name: 'maxLineBytes' | 'maxRecordBytes', value: number | undefined) {
  if (value === undefined) return {};
  if (!(Number.isSafeInteger(value) && value >= 1)) {
    throw invalid(`option \`source.${name}\` must be an integer >= 1, got ${describeValue(value)}`);
  }
  return { [name]: value };
}

/** Checked here, so that a bad one fails the call rather than the task on its worker. */
function optionalDepth(value: number | undefined) {
  if (value === undefined) return {};
  try {
    return { maxDepth: maxDepthOption(value) };
  } catch {
    throw invalid(
      `option \`source.maxDepth\` must be an integer >= 1 or Infinity, got ${describeValue(value)}`,
    );
  }
}

function badSource(source: unknown): ExportError {
  return invalid(
    `option \`source\` must be { ndjson }, { json } or { records }, got ${describeValue(source)}`,
  );
}

function invalid(message: string): ExportError {
  return new ExportError('EXPORT_INVALID_OPTION', message);
}
