import { isUtf8 } from 'node:buffer';
import { describeValue } from '../describe-value.js';
import { ExportError } from '../errors.js';
import { firstInvalidUtf8Byte } from './first-invalid-utf8-byte.js';
import { describeJsonKind, JsonScanner, type JsonValueKind } from './json-scanner.js';

export interface InspectJsonDocumentOptions {
  /** The top-level member that holds the records. */
  recordsKey: string;
  /** A longer record fails with EXPORT_INVALID_RECORD, as with `fromJsonArray`. Default: no limit. */
  maxRecordBytes?: number;
}

/** Where a value is in the bytes: [start, end), end exclusive. */
export interface JsonByteRange {
  start: number;
  end: number;
}

export interface JsonDocumentInspection {
  /**
   * Where every top-level member but `recordsKey` is, unparsed: a caller parses the few it needs
   * (`JSON.parse` of the slice), so nothing built here has to cross a thread.
   */
  members: Record<string, JsonByteRange>;
  /**
   * The member at recordsKey: for an array, its bytes [start, end) including the brackets and
   * its element count; for anything else, its JSON type; absent when there is no such member.
   */
  records?:
    | { type: 'array'; start: number; end: number; count: number }
    | { type: 'object' | 'string' | 'number' | 'boolean' | 'null' };
}

/**
 * Validates a whole JSON object in one pass and parses its members, except the records array,
 * which is only located and counted (each element must be an object or an array): the records
 * are then read one at a time with `fromJsonArray(bytes.subarray(start, end))`. A duplicate
 * key counts as its last occurrence, as with JSON.parse, so a record that is not an object or
 * array fails only once the whole document is known to be valid JSON. Bytes that are not UTF-8
 * fail first, with EXPORT_INVALID_UTF8 naming the `offset` of the first bad one.
 */
export function inspectJsonDocument(
  bytes: Uint8Array,
  options: InspectJsonDocumentOptions,
): JsonDocumentInspection {
  const { recordsKey, maxRecordBytes } = normalizeInspectJsonDocumentOptions(options);
  if (!isUtf8(bytes)) throw notUtf8(firstInvalidUtf8Byte(bytes));
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const scanner = new JsonScanner({ elementDepth: 2 });
  scanner.push(bytes);
  // No `__proto__` key gets this far (the scanner refuses it), so plain assignment is safe.
  const members: Record<string, JsonByteRange> = {};
  let records: JsonDocumentInspection['records'];
  // Found in a records array, thrown only if that array is the last one, once all is valid.
  let badRecord: ExportError | undefined;
  let lastBadRecord: ExportError | undefined;
  let key = '';
  let count = 0;
  for (let event = scanner.next(); event !== undefined; event = scanner.next()) {
    const { depth, kind, start, end } = scanner;
    if (depth === 0) {
      if (event === 'start' && kind !== 'object') throw notAnObjectOnceValid(bytes, kind, start);
    } else if (depth === 2) {
      // The end of an element of a member; only those of the records array matter.
      if (!scanner.namesRecords) continue;
      if (kind !== 'object' && kind !== 'array') badRecord ??= notARecord(count, kind);
      else if (end - start > maxRecordBytes) badRecord ??= recordTooLong(count, maxRecordBytes);
      count += 1;
    } else if (event === 'key') {
      key = JSON.parse(text.toString('utf8', start, end)) as string;
    } else if (event === 'start') {
      scanner.namesRecords = key === recordsKey && kind === 'array';
      count = 0;
      badRecord = undefined;
    } else if (key === recordsKey) {
      scanner.namesRecords = false;
      records = kind === 'array' ? { type: 'array', start, end, count } : { type: kind };
      lastBadRecord = badRecord;
    } else {
      members[key] = { start, end };
    }
  }
  scanner.finish();
  if (lastBadRecord !== undefined) throw lastBadRecord;
  return records === undefined ? { members } : { members, records };
}

function normalizeInspectJsonDocumentOptions(options: InspectJsonDocumentOptions): {
  recordsKey: string;
  maxRecordBytes: number;
} {
  const recordsKey: unknown = options.recordsKey;
  if (typeof recordsKey !== 'string') {
    throw new ExportError(
      'EXPORT_INVALID_OPTION',
      `option \`recordsKey\` must be a string, got ${describeValue(recordsKey)}`,
    );
  }
  const maxRecordBytes = options.maxRecordBytes ?? Number.POSITIVE_INFINITY;
  if (
    maxRecordBytes !== Number.POSITIVE_INFINITY &&
    !(Number.isSafeInteger(maxRecordBytes) && maxRecordBytes >= 1)
  ) {
    throw new ExportError(
      'EXPORT_INVALID_OPTION',
      `option \`maxRecordBytes\` must be an integer >= 1, got ${describeValue(maxRecordBytes)}`,
    );
  }
  return { recordsKey, maxRecordBytes };
}

function notUtf8(offset: number): ExportError {
  return new ExportError(
    'EXPORT_INVALID_UTF8',
    `byte ${offset} is not valid UTF-8 (bodies must be UTF-8)`,
    { offset },
  );
}

function recordTooLong(row: number, maxRecordBytes: number): ExportError {
  return new ExportError(
    'EXPORT_INVALID_RECORD',
    `record ${row} is longer than ${maxRecordBytes} bytes (option \`maxRecordBytes\`)`,
    { row },
  );
}

function notARecord(row: number, kind: JsonValueKind): ExportError {
  return new ExportError(
    'EXPORT_INVALID_RECORD',
    `record ${row} must be a JSON object or array, got ${describeJsonKind(kind)}`,
    { row },
  );
}

/** A document that is not an object: its own syntax error first, if it has one, as JSON.parse would. */
function notAnObjectOnceValid(bytes: Uint8Array, kind: JsonValueKind, offset: number): ExportError {
  const scanner = new JsonScanner();
  scanner.push(bytes);
  while (scanner.next() !== undefined);
  scanner.finish();
  return new ExportError(
    'EXPORT_INVALID_JSON',
    `a JSON object was expected, got ${describeJsonKind(kind)}`,
    { offset },
  );
}
