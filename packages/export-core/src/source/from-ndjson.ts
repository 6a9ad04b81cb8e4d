import { isUtf8 } from 'node:buffer';
import { describeValue } from '../describe-value.js';
import { ExportError } from '../errors.js';
import { firstInvalidUtf8Byte } from './first-invalid-utf8-byte.js';
import { maxDepthOption } from './max-depth-option.js';
import { JsonTooDeepError, parseJsonRecord } from './parse-json-record.js';

export interface FromNdjsonOptions {
  /** The longest line accepted, in bytes; a longer one fails instead of filling memory. Default 1 MiB. */
  maxLineBytes?: number;
  /**
   * The most levels of nesting one line's record may have (`{}` is 1 deep); a deeper one fails
   * with EXPORT_INVALID_RECORD, so nesting cannot exhaust a later step's stack. Default 64.
   */
  maxDepth?: number;
}

const defaultMaxLineBytes = 1024 * 1024;
const newline = 0x0a;

/**
 * Records from NDJSON bytes: one JSON object or array per line; blank lines are skipped, CRLF
 * is accepted. Numbers and key order are kept exact (`parseJsonRecord`). A malformed line fails
 * with EXPORT_INVALID_RECORD naming its line number, a line that is not UTF-8 with
 * EXPORT_INVALID_UTF8 naming its line and the `offset` of the first bad byte in the input, one
 * nested deeper than `maxDepth` with EXPORT_INVALID_RECORD; no more than `maxLineBytes` of one
 * line is ever held.
 */
export async function* fromNdjson(
  source: AsyncIterable<Uint8Array | string>,
  options: FromNdjsonOptions = {},
): AsyncGenerator<Record<string, unknown> | unknown[], void, undefined> {
  const maxLineBytes = options.maxLineBytes ?? defaultMaxLineBytes;
  if (!Number.isSafeInteger(maxLineBytes) || maxLineBytes < 1) {
    throw new ExportError(
      'EXPORT_INVALID_OPTION',
      `option \`maxLineBytes\` must be an integer >= 1, got ${describeValue(maxLineBytes)}`,
    );
  }
  const maxDepth = maxDepthOption(options.maxDepth);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let line = 0;
  let lineStart = 0;
  let chunkStart = 0;
  for await (const chunk of source) {
    const bytes =
      typeof chunk === 'string'
        ? Buffer.from(chunk)
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (let end = bytes.indexOf(newline, start); end !== -1; end = bytes.indexOf(newline, start)) {
      line += 1;
      const piece = bytes.subarray(start, end);
      if (pendingBytes + piece.length > maxLineBytes) throw lineTooLong(line, maxLineBytes);
      const text = pendingBytes === 0 ? piece : Buffer.concat([...pending, piece]);
      pending = [];
      pendingBytes = 0;
      const record = parseLine(text, line, lineStart, maxDepth);
      if (record !== undefined) yield record;
      start = end + 1;
      lineStart = chunkStart + start;
    }
    if (start < bytes.length) {
      pendingBytes += bytes.length - start;
      if (pendingBytes > maxLineBytes) throw lineTooLong(line + 1, maxLineBytes);
      pending.push(bytes.subarray(start));
    }
    chunkStart += bytes.length;
  }
  if (pendingBytes > 0) {
    const record = parseLine(Buffer.concat(pending), line + 1, lineStart, maxDepth);
    if (record !== undefined) yield record;
  }
}

function parseLine(
  bytes: Buffer,
  line: number,
  lineStart: number,
  maxDepth: number,
): Record<string, unknown> | unknown[] | undefined {
  if (!isUtf8(bytes)) throw notUtf8(line, lineStart + firstInvalidUtf8Byte(bytes));
  let text = bytes.toString('utf8');
  if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = parseJsonRecord(text, maxDepth);
  } catch (error) {
    if (error instanceof JsonTooDeepError) {
      throw new ExportError(
        'EXPORT_INVALID_RECORD',
        `line ${line} is nested deeper than ${maxDepth} levels (option \`maxDepth\`)`,
        { line },
      );
    }
    throw new ExportError(
      'EXPORT_INVALID_RECORD',
      `line ${line} is not valid JSON: ${(error as Error).message}`,
      { line, cause: error },
    );
  }
  if (value === null || typeof value !== 'object') {
    throw new ExportError(
      'EXPORT_INVALID_RECORD',
      `line ${line} must be a JSON object or array, got ${describeValue(value)}`,
      { line },
    );
  }
  return value as Record<string, unknown> | unknown[];
}

function notUtf8(line: number, offset: number): ExportError {
  return new ExportError(
    'EXPORT_INVALID_UTF8',
    `line ${line} is not valid UTF-8: byte ${offset} starts an invalid sequence (NDJSON must be UTF-8)`,
    { line, offset },
  );
}

function lineTooLong(line: number, maxLineBytes: number): ExportError {
  return new ExportError(
    'EXPORT_LINE_TOO_LONG',
    `line ${line} is longer than ${maxLineBytes} bytes (option \`maxLineBytes\`)`,
    { line },
  );
}
