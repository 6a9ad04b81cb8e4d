import { once } from 'node:events';
import { type ClientRequest, request as httpRequest, type IncomingMessage } from 'node:http';

export interface NdjsonUpload {
  request: ClientRequest;
  /** Resolves with the response once its status line and headers arrive. */
  response: Promise<IncomingMessage>;
  /** Writes bytes of the upload, waiting for `drain` when the socket is full. */
  send(text: string): Promise<void>;
  /** Ends the upload. */
  end(): Promise<void>;
}

/**
 * A chunked `application/x-ndjson` POST that the test feeds piece by piece, so it can keep an
 * upload open for as long as it wants. Its own connection: nothing is pooled between tests.
 */
export function startNdjsonUpload(
  url: string,
  path: string,
  headers: Record<string, string> = {},
): NdjsonUpload {
  const request = httpRequest(new URL(path, url), {
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/x-ndjson', ...headers },
  });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    request.once('response', resolve);
    request.once('error', reject);
  });
  // A test that gives up on the response must not crash on the socket error that follows.
  response.catch(() => {});
  // Send the headers now: the server answers once the first records arrive, not at the end.
  request.flushHeaders();
  return {
    request,
    response,
    async send(text) {
      if (!request.write(text)) await once(request, 'drain');
    },
    async end() {
      await new Promise<void>((resolve) => request.end(resolve));
    },
  };
}
