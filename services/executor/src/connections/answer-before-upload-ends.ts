import type { IncomingMessage } from 'node:http';
import { finished, Readable } from 'node:stream';

/**
 * The body of an answer given while the upload is still arriving (a 429 that refused it unread,
 * a 401): `text` at once, and its end only once the rest of the upload has been read and dropped,
 * or after `maxWaitMs`. Closing a connection over unread bytes resets it, and the client, still
 * sending, loses the answer it was about to read (RFC 9112 §9.6; nodejs/node#12339). Reading the
 * rest costs a copy off the socket, never a parse or a spool.
 */
export function answerBeforeUploadEnds(
  request: IncomingMessage,
  text: string,
  maxWaitMs: number,
): Readable {
  const body = new Readable({ read() {} });
  body.push(text);
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    body.push(null);
  };
  const timer = setTimeout(end, maxWaitMs);
  timer.unref();
  // The upload ended, failed or was cut: either way there is nothing more to wait for.
  finished(request, end);
  request.resume();
  return body;
}
