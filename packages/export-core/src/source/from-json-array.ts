import { isUtf8 } from 'node:buffer';
import { describeValue } from '../describe-value.js';
import { ExportError } from '../errors.js';
import { firstInvalidUtf8Byte } from './first-invalid-utf8-byte.js';
import { describeJsonKind, JsonScanner, type JsonValueKind } from './json-scanner.js';
import { maxDepthOption } from './max-depth-option.js';
import { parseJsonRecord } from './parse-json-record.js';

export interface FromJsonArrayOptions {
  /** The longest record accepted, in bytes; a longer one fails instead of filling memory. Default: no limit. */
  maxRecordBytes?: number;
  /**
   * The most levels of nesting one record may have (`{}` is 1 deep); a deeper one fails with
   * EXPORT_INVALID_RECORD as soon as its first container too many opens. Default 64.
   */
  maxDepth?: number;
}

interface NormalizedFromJsonArrayOptions {
  readonly maxRecordBytes: number;
  readonly maxDepth: number;
}

/**
 * Records from the bytes of a top-level JSON array, each yielded as soon as its closing byte
 * is scanned: the whole document is validated as it streams, and only the record being read
 * and the current chunk are held. Records before an error are yielded first, as in a stream.
 * Numbers and key order are kept exact (`parseJsonRecord`); a record that is not UTF-8 fails
 * with EXPORT_INVALID_UTF8 naming its `row` and the `offset` of the first bad byte.
 */
export async function* fromJsonArray(
  source: Uint8Array | AsyncIterable<Uint8Array | string>,
  options: FromJsonArrayOptions = {},
): AsyncGenerator<Record<string, unknown> | unknown[], void, undefined> {
  const { maxRecordBytes, maxDepth } = normalizeFromJsonArrayOptions(options);
  const scanner = new JsonScanner({ elementDepth: 1, maxDepth });
  scanner.namesRecords = true;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let row = 0;
  for await (const chunk of byteChunks(source)) {
    scanner.push(chunk);
    const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (let event = scanner.next(); event !== undefined; event = scanner.next()) {
      if (scanner.depth === 0) {
        if (event === 'start' && scanner.kind !== 'array') throw notAnArray(scanner);
        continue;
      }
      const recordLength = scanner.end - scanner.start;
      if (recordLength > maxRecordBytes) throw recordTooLong(row, maxRecordBytes);
      const end = scanner.end - scanner.chunkOffset;
      let recordBytes: Buffer;
      if (pendingBytes === 0) {
        recordBytes = text.subarray(scanner.start - scanner.chunkOffset, end);
      } else {
        pending.push(chunk.subarray(0, end));
        recordBytes = Buffer.concat(pending, recordLength);
        pending = [];
        pendingBytes = 0;
      }
      if (!isUtf8(recordBytes)) {
        throw notUtf8(row, scanner.start + firstInvalidUtf8Byte(recordBytes));
      }
      // The scanner has validated these bytes, so parsing cannot fail here.
      const json = recordBytes.toString('utf8');
      if (!isContainer(scanner.kind)) throw notARecord(row, JSON.parse(json));
      yield parseJsonRecord(json) as Record<string, unknown> | unknown[];
      row += 1;
    }
    if (scanner.openElementStart !== -1) {
      const from = Math.max(scanner.openElementStart - scanner.chunkOffset, 0);
      pendingBytes += chunk.length - from;
      if (pendingBytes > maxRecordBytes) throw recordTooLong(row, maxRecordBytes);
      // A copy (Buffer#slice would be a view), so that the rest of this chunk can be collected.
      pending.push(new Uint8Array(chunk.subarray(from)));
    }
  }
  scanner.finish();
}

function normalizeFromJsonArrayOptions(
  options: FromJsonArrayOptions,
): NormalizedFromJsonArrayOptions {
  const maxRecordBytes = options.maxRecordBytes ?? Number.POSITIVE_INFINITY;
  if (
    maxRecordBytes !== Number.POSITIVE_INFINITY &&
    (!Number.isSafeInteger(maxRecordBytes) || maxRecordBytes < 1)
  ) {
    throw new ExportError(
      'EXPORT_INVALID_OPTION',
      `option \`maxRecordBytes\` must be an integer >= 1, got ${describeValue(maxRecordBytes)}`,
    );
  }
  return { maxRecordBytes, maxDepth: maxDepthOption(options.maxDepth) };
}

/** The source as byte chunks; text is UTF-8 encoded, a surrogate pair split between chunks kept whole. */
async function* byteChunks(
  source: Uint8Array | AsyncIterable<Uint8Array | string>,
): AsyncGenerator<Uint8Array, void, undefined> {
  if (source instanceof Uint8Array) {
    yield source;
    return;
  }
  const encoder = new TextEncoder();
  let highSurrogate = '';
  for await (const chunk of source) {
    if (typeof chunk !== 'string') {
      if (highSurrogate !== '') yield encoder.encode(highSurrogate);
      highSurrogate = '';
      yield chunk;
      continue;
    }
    let text = highSurrogate + chunk;
    highSurrogate = '';
    const last = text.charCodeAt(text.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      highSurrogate = text.slice(-1);
      text = text.slice(0, -1);
    }
    yield encoder.encode(text);
  }
  if (highSurrogate !== '') yield encoder.encode(highSurrogate);
}

function isContainer(kind: JsonValueKind): boolean {
  return kind === 'object' || kind === 'array';
}

function notAnArray(scanner: JsonScanner): ExportError {
  return new ExportError(
    'EXPORT_INVALID_JSON',
    `a JSON array of records was expected, got ${describeJsonKind(scanner.kind)}`,
    { offset: scanner.start },
  );
}

function notARecord(row: number, value: unknown): ExportError {
  return new ExportError(
    'EXPORT_INVALID_RECORD',
    `record ${row} must be a JSON object or array, got ${describeValue(value)}`,
    { row },
  );
}

function notUtf8(row: number, offset: number): ExportError {
  return new ExportError(
    'EXPORT_INVALID_UTF8',
    `record ${row} is not valid UTF-8: byte ${offset} starts an invalid sequence (JSON must be UTF-8)`,
    { row, offset },
  );
}

function recordTooLong(row: number, maxRecordBytes: number): ExportError {
  return new ExportError(
    'EXPORT_INVALID_RECORD',
    `record ${row} is longer than ${maxRecordBytes} bytes (option \`maxRecordBytes\`)`,
    { row },
  );
}
