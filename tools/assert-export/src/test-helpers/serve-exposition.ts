import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ExpositionServerOptions {
  readonly body?: string;
  readonly status?: number;
  /** Never answer: for timeouts. */
  readonly hang?: boolean;
}

export interface ExpositionServer {
  /** `http://127.0.0.1:<port>`, the base URL `--url` takes. */
  readonly url: string;
  /** The headers of every request received so far, with its path. */
  readonly requests: Array<{ path: string | undefined; headers: IncomingHttpHeaders }>;
  close(): Promise<void>;
}

/** A tiny server on 127.0.0.1:0 that answers every request with the same exposition. */
export async function serveExposition(options: ExpositionServerOptions): Promise<ExpositionServer> {
  const requests: ExpositionServer['requests'] = [];
  const server = createServer((request, response) => {
    requests.push({ path: request.url, headers: request.headers });
    if (options.hang) return;
    response.writeHead(options.status ?? 200, {
      'content-type': 'text/plain; version=0.0.4; charset=utf-8',
    });
    response.end(options.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
