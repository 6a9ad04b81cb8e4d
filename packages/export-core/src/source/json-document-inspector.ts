import { describeValue } from '../describe-value.js';
import { ExportError } from '../errors.js';
import type {
  InspectJsonDocumentOptions,
  JsonByteRange,
  JsonDocumentInspection,
} from './inspect-json-document.js';
import { describeJsonKind, JsonScanner, type JsonValueKind } from './json-scanner.js';
import { maxDepthOption } from './max-depth-option.js';
import { Utf8ChunkChecker } from './utf8-chunk-checker.js';

interface NormalizedInspectOptions {
  readonly recordsKey: string;
  readonly maxRecordBytes: number;
  readonly maxRecords: number;
  readonly maxDepth: number;
}

/**
 * `inspectJsonDocument` a chunk at a time, for a document still arriving (a request body): the
 * limits stop it at the chunk that passes them, so a hostile document costs what was read of it,
 * not its whole length. `push` every chunk in order, then `finish()` for the inspection; offsets
 * count from the first chunk. Chunks are not copied: the few that hold a top-level key are kept
 * by reference until the key ends, so they must not change before the next `push`.
 */
export class JsonDocumentInspector {
  readonly #options: NormalizedInspectOptions;
  readonly #scanner: JsonScanner;
  readonly #utf8 = new Utf8ChunkChecker();
  // No `__proto__` key gets this far (the scanner refuses it), so plain assignment is safe.
  readonly #members: Record<string, JsonByteRange> = {};
  #records: JsonDocumentInspection['records'];
  // Found in a records array, thrown only if that array is the last one, once all is valid.
  #badRecord: ExportError | undefined;
  #lastBadRecord: ExportError | undefined;
  // A document that is not an object: refused once its own syntax is known good, as JSON.parse.
  #notAnObject: ExportError | undefined;
  #key = '';
  #count = 0;
  #chunk: Uint8Array = new Uint8Array(0);
  // The chunks since a top-level key may have begun, and the offset of the first of them.
  #keyChunks: Uint8Array[] = [];
  #keyChunksOffset = 0;
  #awaitingKey = false;

  constructor(options: InspectJsonDocumentOptions) {
    this.#options = normalizeInspectJsonDocumentOptions(options);
    this.#scanner = new JsonScanner({ elementDepth: 2, maxDepth: this.#options.maxDepth });
  }

  push(chunk: Uint8Array): void {
    this.#utf8.push(chunk);
    const scanner = this.#scanner;
    scanner.push(chunk);
    this.#chunk = chunk;
    if (this.#awaitingKey) this.#keyChunks.push(chunk);
    for (let event = scanner.next(); event !== undefined; event = scanner.next()) {
      this.#take(event);
    }
    this.#checkOpenRecord(scanner.chunkOffset + chunk.length);
  }

  finish(): JsonDocumentInspection {
    this.#utf8.finish();
    this.#scanner.finish();
    if (this.#notAnObject !== undefined) throw this.#notAnObject;
    if (this.#lastBadRecord !== undefined) throw this.#lastBadRecord;
    const members = this.#members;
    return this.#records === undefined ? { members } : { members, records: this.#records };
  }

  #take(event: 'start' | 'key' | 'end'): void {
    const scanner = this.#scanner;
    const { depth, kind, start, end } = scanner;
    if (this.#notAnObject !== undefined) return;
    if (depth === 0) {
      if (event !== 'start') return;
      if (kind === 'object') this.#awaitKey();
      else this.#notAnObject = notAnObject(kind, start);
    } else if (depth === 2) {
      // The end of an element of a member; only those of the records array matter.
      if (!scanner.namesRecords) return;
      const { maxRecords, maxRecordBytes } = this.#options;
      if (this.#count >= maxRecords) throw tooManyRecords(maxRecords);
      if (end - start > maxRecordBytes) throw recordTooLong(this.#count, maxRecordBytes);
      if (kind !== 'object' && kind !== 'array') {
        this.#badRecord ??= notARecord(this.#count, kind);
      }
      this.#count += 1;
    } else if (event === 'key') {
      this.#key = JSON.parse(this.#keyText(start, end)) as string;
      this.#awaitingKey = false;
      this.#keyChunks = [];
    } else if (event === 'start') {
      scanner.namesRecords = this.#key === this.#options.recordsKey && kind === 'array';
      this.#count = 0;
      this.#badRecord = undefined;
    } else {
      if (this.#key === this.#options.recordsKey) {
        scanner.namesRecords = false;
        this.#records =
          kind === 'array' ? { type: 'array', start, end, count: this.#count } : { type: kind };
        this.#lastBadRecord = this.#badRecord;
      } else {
        this.#members[this.#key] = { start, end };
      }
      this.#awaitKey();
    }
  }

  /** A record still open at the end of a chunk: refused once it is already too long or too many. */
  #checkOpenRecord(chunkEnd: number): void {
    const scanner = this.#scanner;
    const recordStart = scanner.openElementStart;
    if (!scanner.namesRecords || recordStart === -1) return;
    const { maxRecords, maxRecordBytes } = this.#options;
    if (this.#count >= maxRecords) throw tooManyRecords(maxRecords);
    if (chunkEnd - recordStart > maxRecordBytes) throw recordTooLong(this.#count, maxRecordBytes);
  }

  /** The next top-level key may begin in this chunk: keep it, and the chunks after it, until it ends. */
  #awaitKey(): void {
    this.#awaitingKey = true;
    this.#keyChunks = [this.#chunk];
    this.#keyChunksOffset = this.#scanner.chunkOffset;
  }

  #keyText(start: number, end: number): string {
    const chunks = this.#keyChunks;
    const from = start - this.#keyChunksOffset;
    const to = end - this.#keyChunksOffset;
    const bytes =
      chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks as Uint8Array[]);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8', from, to);
  }
}

function normalizeInspectJsonDocumentOptions(
  options: InspectJsonDocumentOptions,
): NormalizedInspectOptions {
  const recordsKey: unknown = options?.recordsKey;
  if (typeof recordsKey !== 'string') {
    throw invalidOption(`option \`recordsKey\` must be a string, got ${describeValue(recordsKey)}`);
  }
  return {
    recordsKey,
    maxRecordBytes: limitOption('maxRecordBytes', options.maxRecordBytes, 1),
    maxRecords: limitOption('maxRecords', options.maxRecords, 0),
    maxDepth: maxDepthOption(options.maxDepth),
  };
}

/** A count limit: an integer from `minimum`, or no limit (Infinity) when not given. */
function limitOption(name: string, value: number | undefined, minimum: number): number {
  if (value === undefined || value === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  if (Number.isSafeInteger(value) && value >= minimum) return value;
  throw invalidOption(
    `option \`${name}\` must be an integer >= ${minimum}, got ${describeValue(value)}`,
  );
}

function invalidOption(message: string): ExportError {
  return new ExportError('EXPORT_INVALID_OPTION', message);
}

function tooManyRecords(maxRecords: number): ExportError {
  return new ExportError(
    'EXPORT_TOO_MANY_ROWS',
    `the records array has more than ${maxRecords} records (option \`maxRecords\`)`,
    { row: maxRecords },
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

function notAnObject(kind: JsonValueKind, offset: number): ExportError {
  return new ExportError(
    'EXPORT_INVALID_JSON',
    `a JSON object was expected, got ${describeJsonKind(kind)}`,
    { offset },
  );
}
