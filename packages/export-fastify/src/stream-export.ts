import { PassThrough } from 'node:stream';
import { ExportAbortError, type ExportResult } from '@org/export-core';
import type { FastifyReply } from 'fastify';
import { abortOnClientGone } from './abort-on-client-gone.js';
import { type Admission, admitExport } from './admit-export.js';
import { attachmentDisposition } from './attachment-disposition.js';
import { ClientGoneError } from './errors.js';
import { exportContentTypes } from './export-content-types.js';
import { httpStatusOfExportError, retryAfterSecondsOf } from './http-status-of-export-error.js';
import {
  type NormalizedReplyExportOptions,
  normalizeReplyExportOptions,
  type ReplyExportOptions,
} from './normalize-reply-export-options.js';

export interface StreamExportSettings extends Admission {
  readonly limiterKey: ((request: FastifyReply['request']) => string | undefined) | undefined;
}

type Outcome = { result: ExportResult } | { error: unknown };

/**
 * `reply.export`: streams one export as the response. The 200 and its headers are committed
 * only once the export has written its first bytes, so one that fails before (refused by the
 * limiter, a bad first record, a bad option) is answered as an ordinary error through the
 * error handler, its status set (`httpStatusOfExportError`, Retry-After for a 429). After
 * that, a failure destroys the response: the client sees a cut transfer, never a whole-looking
 * file. A client that hangs up aborts the export. Returns the reply, as `reply.send` does.
 */
export function streamExport(
  reply: FastifyReply,
  options: ReplyExportOptions,
  settings: StreamExportSettings,
): FastifyReply {
  const clientGone = abortOnClientGone(reply);
  let normalized: NormalizedReplyExportOptions;
  let key: string | undefined;
  try {
    normalized = normalizeReplyExportOptions(options);
    key = settings.limiterKey?.(reply.request);
  } catch (error) {
    answerError(reply, error, clientGone);
    return reply;
  }
  const { format, run } = normalized;
  const output = new PassThrough();
  // Done once the client has it all, not once its last bytes are buffered: a client that hangs
  // up on them left mid-download too.
  const delivery = deliveryOf(reply);
  let markRan = (_ran: Outcome) => {};
  const ran = new Promise<Outcome>((resolve) => {
    markRan = resolve;
  });
  const exported = (signal: AbortSignal) =>
    run({ destination: output, signal }).then(async (result) => {
      // Written whole, though perhaps empty: there is a file to send, bytes or not.
      markRan({ result });
      await delivery;
      return result;
    });
  const outcome: Promise<Outcome> = admitExport(
    settings,
    { format, key, signal: clientGone },
    exported,
  ).then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  );
  let onFirstBytes = () => {};
  const firstBytes = new Promise<'first bytes'>((resolve) => {
    onFirstBytes = () => resolve('first bytes');
  });
  output.once('readable', onFirstBytes);
  const answered = Promise.race([firstBytes, ran, outcome]).then((first) => {
    if (first !== 'first bytes' && 'error' in first) {
      output.off('readable', onFirstBytes);
      output.destroy();
      answerError(reply, first.error, clientGone);
      return;
    }
    commit(reply, normalized, output);
    void outcome.then((end) => {
      const log = normalized.log ?? reply.log;
      if ('result' in end) {
        log.info({ format, ...summaryOf(end.result), outcome: 'success' }, 'export streamed');
        return;
      }
      // The headers are gone: cutting the connection is the only way to say the file is not whole.
      log.warn({ err: end.error }, 'export failed while streaming');
      cut(reply, output, end.error);
    });
  });
  // Not expected (Fastify's own send failing): still, no unhandled rejection and no hung client.
  answered.catch((error: unknown) => {
    reply.log.error({ err: error }, 'reply.export could not answer');
    output.destroy();
    reply.raw.destroy();
  });
  return reply;
}

function commit(reply: FastifyReply, options: NormalizedReplyExportOptions, output: PassThrough) {
  reply
    .header('content-type', exportContentTypes[options.format])
    .header('content-disposition', attachmentDisposition(options.filename));
  for (const [name, value] of Object.entries(options.headers)) reply.header(name, value);
  reply.send(output);
}

/** Nothing was sent: the error handler answers, with the status (and Retry-After) set here. */
function answerError(reply: FastifyReply, error: unknown, clientGone: AbortSignal) {
  // Nobody is left to read the answer: 499 (nginx's "client closed request") tells the log so.
  reply.code(clientGone.aborted ? statusOf(new ClientGoneError()) : httpStatusOfExportError(error));
  const retryAfterSeconds = retryAfterSecondsOf(error);
  if (retryAfterSeconds !== undefined) reply.header('retry-after', String(retryAfterSeconds));
  reply.send(asError(error));
}

/**
 * Destroys the output with the error. Fastify then destroys the response, unless no byte of it
 * was written yet: then its error handler answers, so the status is set and the file's
 * Content-Disposition taken back first.
 */
function cut(reply: FastifyReply, output: PassThrough, error: unknown) {
  if (!reply.raw.headersSent) {
    reply.removeHeader('content-disposition');
    reply.raw.removeHeader('content-disposition');
    reply.code(httpStatusOfExportError(error));
  }
  output.destroy(asError(error));
}

/**
 * Resolves once the response has finished; rejects with EXPORT_ABORTED if it closes first.
 * Watched from the start, so a response that finishes before the export's promise settles counts.
 */
function deliveryOf(reply: FastifyReply): Promise<void> {
  const response = reply.raw;
  const cutShort = () =>
    new ExportAbortError({ message: clientLeftMessage, cause: new ClientGoneError() });
  const delivery = new Promise<void>((resolve, reject) => {
    if (response.writableFinished) resolve();
    else if (response.destroyed) reject(cutShort());
    response.once('finish', () => resolve());
    // After 'finish', a settled promise ignores it.
    response.once('close', () => reject(cutShort()));
  });
  // Awaited only by an export that got to its end.
  delivery.catch(() => {});
  return delivery;
}

const clientLeftMessage =
  'the export was aborted: its client closed the connection before it had the whole file';

function summaryOf(result: ExportResult): Record<string, unknown> {
  const summary: Record<string, unknown> = { rows: result.rows, bytes: result.bytes };
  // What the file could not hold, present only when there was some.
  if (result.droppedFields.count > 0) summary.droppedFields = result.droppedFields;
  if (result.truncatedCells.count > 0) summary.truncatedCells = result.truncatedCells;
  return summary;
}

function statusOf(error: { statusCode?: number }): number {
  return error.statusCode ?? 500;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
