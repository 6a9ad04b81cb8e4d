import type { FastifyReply } from 'fastify';

/** A signal that aborts when the connection closes before the response is finished. */
export function abortOnClientGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished)
      controller.abort(new Error('the client closed the connection'));
  });
  return controller.signal;
}
