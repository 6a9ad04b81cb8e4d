import type { IncomingMessage } from 'node:http';
import { finished, Readable } from 'node:stream';

export interface EarlyAnswers {
  /**
   * The body of an answer given while the upload is still arriving (a 429 that refused it unread,
   * a 413 for too many rows): `text` at once, and its end only once the rest of the upload has
   * been read and dropped, or after `maxWaitMs`. Closing a connection over unread bytes resets
   * it, and the client, still sending, loses the answer it was about to read (RFC 9112 §9.6;
   * nodejs/node#12339). Reading the rest costs a copy off the socket, never a parse or a spool.
   * The answer must say `Connection: close`: what is left of the upload is never parsed as a request.
   */
  answer(request: IncomingMessage, text: string): Readable;
  /**
   * Ends every such answer now, and those given from now on at once, so their connections close:
   * the server is closing.
   */
  endAll(): void;
}

export function earlyAnswers(maxWaitMs: number): EarlyAnswers {
  const pending = new Set<() => void>();
  let closing = false;
  return {
    answer(request, text) {
      const body = new Readable({ read() {} });
      body.push(text);
      // Whatever read the upload (a body stream of its own, lingering-uploads.ts) is done with it.
      request.unpipe();
      request.resume();
      // An upload cut at shutdown is answered after closing began: nothing waits for its rest.
      if (closing) {
        body.push(null);
        return body;
      }
      const end = () => {
        if (!pending.delete(end)) return;
        clearTimeout(timer);
        body.push(null);
      };
      pending.add(end);
      const timer = setTimeout(end, maxWaitMs);
      timer.unref();
      // The upload ended, failed or was cut: either way there is nothing more to wait for.
      finished(request, end);
      return body;
    },
    endAll() {
      closing = true;
      for (const end of [...pending]) end();
    },
  };
}
