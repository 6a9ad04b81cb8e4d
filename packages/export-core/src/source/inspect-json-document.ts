import { JsonDocumentInspector } from './json-document-inspector.js';

export interface InspectJsonDocumentOptions {
  /** The top-level member that holds the records. */
  recordsKey: string;
  /** A longer record fails with EXPORT_INVALID_RECORD, as with `fromJsonArray`. Default: no limit. */
  maxRecordBytes?: number;
  /**
   * More records fail with EXPORT_TOO_MANY_ROWS (`row`: the first one past the limit), as soon
   * as that record is read. Default: no limit.
   */
  maxRecords?: number;
  /**
   * The most levels of nesting a record, or an element of any other top-level array or object,
   * may have (`{}` is 1 deep): a deeper record fails with EXPORT_INVALID_RECORD naming its `row`
   * as soon as its first container too many opens. Default 64.
   */
  maxDepth?: number;
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
 * array fails only once the whole document is known to be valid JSON. The limits do not wait:
 * the first record past `maxRecords` or `maxRecordBytes` fails where it is read. Bytes that are
 * not UTF-8 fail first, with EXPORT_INVALID_UTF8 naming the `offset` of the first bad one. For a
 * document that arrives in chunks, `JsonDocumentInspector` does the same a chunk at a time.
 */
export function inspectJsonDocument(
  bytes: Uint8Array,
  options: InspectJsonDocumentOptions,
): JsonDocumentInspection {
  const inspector = new JsonDocumentInspector(options);
  inspector.push(bytes);
  return inspector.finish();
}
