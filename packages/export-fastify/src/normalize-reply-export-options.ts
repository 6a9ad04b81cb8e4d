import { validateHeaderName, validateHeaderValue } from 'node:http';
import type { Writable } from 'node:stream';
import {
  assertExportFormat,
  type ExportFormat,
  type ExportFormatOptions,
  type ExportResult,
  type ExportSettings,
  type ExportSource,
  type RunExportOptions,
  runExport,
} from '@org/export-core';
import type { FastifyBaseLogger } from 'fastify';
import { describeOption } from './describe-option.js';
import { ExportFastifyOptionError } from './errors.js';
import { sanitizeFilename } from './safe-filename.js';

/** What a `run` callback is given. */
export interface ExportRunContext {
  /** Where the file goes: the response, which is committed once its first bytes are written. */
  readonly destination: Writable;
  /**
   * Aborts when the client closes the connection (reason: a ClientGoneError), or when the
   * plugin's limiter, closing, aborts its slot. Pass it on: an export that ignores it runs on.
   */
  readonly signal: AbortSignal;
}

interface ReplyExportCommonOptions {
  /** The name the client saves the file under, sanitized. Default `export.<format>`. */
  filename?: string;
  /**
   * Headers sent with the file only, not with an error answer (an id, a cache policy).
   * Content-Type and Content-Disposition are the plugin's: use `format` and `filename`.
   */
  headers?: Readonly<Record<string, string>>;
  /** Logs the plugin's line once the file is sent, or cut. Default: the request's logger. */
  log?: FastifyBaseLogger;
}

/**
 * Export `source` with `runExport`, whose options these are (less destination and signal):
 * columns keyed by the records' fields, and each format's own options only.
 */
export type ReplyExportSourceOptions<Row = unknown> = ReplyExportCommonOptions &
  Omit<ExportSettings<Row>, 'destination' | 'signal'> &
  ExportFormatOptions & { source: ExportSource<Row>; run?: undefined };

/** Export with a runner of the caller's (a worker pool, a service's own limits). */
export interface ReplyExportRunOptions extends ReplyExportCommonOptions {
  format: ExportFormat;
  run: (context: ExportRunContext) => Promise<ExportResult>;
  source?: undefined;
}

export type ReplyExportOptions<Row = unknown> =
  | ReplyExportSourceOptions<Row>
  | ReplyExportRunOptions;

export interface NormalizedReplyExportOptions {
  readonly format: ExportFormat;
  /** Sanitized, never empty. */
  readonly filename: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly log: FastifyBaseLogger | undefined;
  readonly run: (context: ExportRunContext) => Promise<ExportResult>;
}

// One way to say each: `format` and `filename`.
const ownHeaders: ReadonlySet<string> = new Set(['content-type', 'content-disposition']);

/**
 * Checks the options of one `reply.export`. A bad format is EXPORT_UNSUPPORTED_FORMAT (400: it
 * may be the client's choice); anything else malformed is EXPORT_FASTIFY_INVALID_OPTION (500).
 */
export function normalizeReplyExportOptions(
  options: ReplyExportOptions,
): NormalizedReplyExportOptions {
  if (options === null || typeof options !== 'object') {
    throw invalid(`reply.export options must be an object, got ${describeOption(options)}`);
  }
  const format = assertExportFormat(options.format);
  return Object.freeze({
    format,
    filename: filenameOf(options.filename, format),
    headers: headersOf(options.headers),
    log: options.log,
    run: runOf(options, format),
  });
}

function filenameOf(filename: unknown, format: ExportFormat): string {
  if (filename === undefined) return `export.${format}`;
  if (typeof filename !== 'string') {
    throw invalid(`option \`filename\` must be a string, got ${describeOption(filename)}`);
  }
  // Nothing left once sanitized (blank, say): the default name, not a nameless download.
  return sanitizeFilename(filename) || `export.${format}`;
}

function headersOf(headers: unknown): Readonly<Record<string, string>> {
  if (headers === undefined) return Object.freeze({});
  if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) {
    throw invalid(`option \`headers\` must be an object, got ${describeOption(headers)}`);
  }
  const checked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (ownHeaders.has(name.toLowerCase())) {
      throw invalid(`option \`headers\` must not set ${name}: use \`format\` and \`filename\``);
    }
    if (typeof value !== 'string') {
      throw invalid(`option \`headers.${name}\` must be a string, got ${describeOption(value)}`);
    }
    try {
      validateHeaderName(name);
      validateHeaderValue(name, value);
    } catch (error) {
      throw Object.assign(
        invalid(`option \`headers.${name}\` is not a valid header: ${(error as Error).message}`),
        { cause: error },
      );
    }
    checked[name] = value;
  }
  return Object.freeze(checked);
}

function runOf(
  options: ReplyExportOptions,
  format: ExportFormat,
): (context: ExportRunContext) => Promise<ExportResult> {
  // Checked as what a caller may pass, not as the types say: JavaScript callers exist.
  const { run, source } = options as { run?: unknown; source?: unknown };
  if (run !== undefined) {
    if (typeof run !== 'function') {
      throw invalid(`option \`run\` must be a function, got ${describeOption(run)}`);
    }
    if (source !== undefined) throw invalid('give either `source` or `run`, not both');
    return run as ReplyExportRunOptions['run'];
  }
  if (source === undefined) throw invalid('option `source` or `run` is required');
  const {
    filename: _filename,
    headers: _headers,
    log: _log,
    ...exportOptions
  } = options as ReplyExportSourceOptions;
  // runExport checks again that `csv`, `pdf` or `xlsx` is the format's own, for JavaScript callers.
  return ({ destination, signal }) =>
    runExport({ ...exportOptions, format, destination, signal } as RunExportOptions);
}

function invalid(message: string) {
  return new ExportFastifyOptionError(message);
}
