import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { UploadTooSlowError } from '../errors.js';

/** The pace an upload that holds an export slot must keep. */
export interface MinimumUploadRate {
  /** Bytes a second it must average once its slot is held (EXPORT_MIN_UPLOAD_BYTES_PER_S); 0 is off. */
  bytesPerSecond: number;
  /** Seconds after taking its slot before it is measured (EXPORT_MIN_UPLOAD_GRACE_S). */
  graceSeconds: number;
}

export interface UploadRateGuardOptions {
  /** The body the export reads (a stream of its own, lingering-uploads.ts). */
  upload: Readable;
  /** The request it arrives on: whether it is whole, what waits unread in it. */
  request: IncomingMessage;
  /** The chunks the export reads: counted as they are. */
  chunks: AsyncIterable<Uint8Array>;
  rate: MinimumUploadRate;
  log: FastifyBaseLogger;
  /** Default 1000 ms. */
  checkIntervalMs?: number;
}

export interface UploadRateGuard {
  /** What the export reads instead of the chunks given. */
  readonly chunks: AsyncIterable<Uint8Array>;
  /** Aborts, with an UploadTooSlowError as its reason, when the upload is too slow. */
  readonly signal: AbortSignal;
  /** The export holds its slot from now: the grace period starts. */
  start(): void;
  /** The export settled: nothing more to watch. */
  stop(): void;
}

/**
 * Bounds how long a trickling upload can hold an export slot. /export/stream must hold its slot
 * while its body arrives (the body is the export's source), so a client sending a byte now and
 * then is neither idle nor late for the client timeouts (stalled-clients.ts) for minutes. Once
 * the grace period after taking the slot has passed, an upload that has delivered fewer than
 * `bytesPerSecond` × the seconds since is cut, checked every second; but only while the export
 * waits on the client: bytes left unread mean the export is the slow one.
 */
export function guardUploadRate(options: UploadRateGuardOptions): UploadRateGuard {
  const { upload, request, rate, log, checkIntervalMs = 1000 } = options;
  const controller = new AbortController();
  if (rate.bytesPerSecond === 0) {
    return { chunks: options.chunks, signal: controller.signal, start() {}, stop() {} };
  }
  let receivedBytes = 0;
  let startedAt = 0;
  let timer: NodeJS.Timeout | undefined;

  const stop = () => {
    clearInterval(timer);
    timer = undefined;
  };

  function check() {
    if (request.complete || upload.readableEnded || upload.destroyed) return stop();
    const elapsedMs = performance.now() - startedAt;
    if (elapsedMs < rate.graceSeconds * 1000) return;
    if (upload.readableLength > 0 || request.readableLength > 0) return;
    if (receivedBytes >= (rate.bytesPerSecond * elapsedMs) / 1000) return;
    stop();
    const error = new UploadTooSlowError(rate.bytesPerSecond, rate.graceSeconds);
    log.info(
      {
        code: error.code,
        receivedBytes,
        elapsedMs: Math.round(elapsedMs),
        minUploadBytesPerSecond: rate.bytesPerSecond,
      },
      'upload cut: slower than the minimum upload rate while holding an export slot',
    );
    controller.abort(error);
  }

  return {
    chunks: countedChunks(options.chunks, (bytes) => {
      receivedBytes += bytes;
    }),
    signal: controller.signal,
    start() {
      if (timer !== undefined || controller.signal.aborted) return;
      startedAt = performance.now();
      timer = setInterval(check, checkIntervalMs);
      timer.unref();
    },
    stop,
  };
}

function countedChunks(
  chunks: AsyncIterable<Uint8Array>,
  count: (bytes: number) => void,
): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]() {
      const iterator = chunks[Symbol.asyncIterator]();
      return {
        async next() {
          const step = await iterator.next();
          if (!step.done) count(step.value.byteLength);
          return step;
        },
        async return(value?: unknown) {
          return (await iterator.return?.(value)) ?? { done: true, value: undefined };
        },
      };
    },
  };
}
