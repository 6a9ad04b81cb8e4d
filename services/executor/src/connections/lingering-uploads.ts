import type { IncomingMessage } from 'node:http';
import { finished, PassThrough, type Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export interface LingeringUploads {
  /** Reads every body still arriving through a stream of its own, which `settle` can fail. */
  watch(app: FastifyInstance): void;
  /**
   * Resolves once no body is arriving, or after `timeoutMs` (the shutdown grace period), when
   * those still arriving are failed with `cutWith()`'s error: the route reading one fails as
   * its reader does (a spool removes its folder), and the connection stays open for the answer.
   */
  settle(timeoutMs: number): Promise<void>;
  /** The error the upload of `request` was cut with, if it was: answered instead of its effects. */
  cutError(request: IncomingMessage): Error | undefined;
}

export interface LingeringUploadsOptions {
  /** The error a cut upload fails with, and is answered with (EXECUTOR_DRAINING). */
  cutWith: () => Error & { code: string };
}

interface Upload {
  request: FastifyRequest;
  body: PassThrough;
}

/**
 * Bounds what a client still sending can hold up at shutdown. Closing waits for every request
 * in flight, and a client that trickles its upload, a line every few seconds, is never idle nor
 * late enough for the client timeouts (stalled-clients.ts): without a cut, it would keep the
 * process alive for as long as it likes.
 */
export function lingeringUploads({ cutWith }: LingeringUploadsOptions): LingeringUploads {
  // By request, while its body arrives and no answer has begun.
  const arriving = new Map<IncomingMessage, Upload>();
  const cut = new WeakMap<IncomingMessage, Error>();
  let onNoneArriving: (() => void) | undefined;

  function release(request: IncomingMessage) {
    if (arriving.delete(request) && arriving.size === 0) onNoneArriving?.();
  }

  function cutAll(timeoutMs: number) {
    for (const { request, body } of [...arriving.values()]) {
      release(request.raw);
      const error = cutWith();
      cut.set(request.raw, error);
      request.log.info(
        { code: error.code, shutdownTimeoutSeconds: timeoutMs / 1000 },
        'upload cut: still arriving when the shutdown timeout passed',
      );
      // The body's own stream, not the request: destroying that would close the connection
      // before the 503 is written. Its pipe from the request comes undone with it.
      body.destroy(error);
    }
  }

  return {
    watch(app) {
      app.addHook('preParsing', async (request, _reply, payload) => {
        // Whole already (no body, or one that came with the headers): nothing can linger.
        if (request.raw.complete) return payload;
        const body = new PassThrough();
        // Its readers listen for its errors; once they are gone (answered early), nobody does.
        body.on('error', () => {});
        arriving.set(request.raw, { request, body });
        // A client that leaves mid-upload fails the body as it fails the request.
        finished(payload, (error) => {
          release(request.raw);
          if (error) body.destroy(error);
        });
        return (payload as Readable).pipe(body);
      });
      // Answered (refused early, or a stream's 200 begun): the rest of the upload is read and
      // dropped (early-answers.ts), or bound by its export, which the grace period aborts.
      app.addHook('onSend', async (request) => {
        release(request.raw);
      });
    },
    async settle(timeoutMs) {
      if (arriving.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          onNoneArriving = resolve;
          timer = setTimeout(resolve, timeoutMs);
        });
        clearTimeout(timer);
        onNoneArriving = undefined;
      }
      cutAll(timeoutMs);
    },
    cutError: (request) => cut.get(request),
  };
}
