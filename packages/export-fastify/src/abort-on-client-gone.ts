import type { FastifyReply } from 'fastify';
import { ClientGoneError } from './errors.js';

/**
 * A signal that aborts, with a ClientGoneError as its reason, when the connection closes before
 * the response is finished: the client hung up, so the export it waits for can stop.
 */
export function abortOnClientGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  const response = reply.raw;
  const onClose = () => {
    if (!response.writableFinished) controller.abort(new ClientGoneError());
  };
  if (response.destroyed) onClose();
  else response.once('close', onClose);
  return controller.signal;
}
