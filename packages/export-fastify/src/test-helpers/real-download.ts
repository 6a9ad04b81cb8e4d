import { once } from 'node:events';
import { type IncomingMessage, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';

export interface Download {
  response: IncomingMessage;
  /** Bytes received so far. */
  received(): Buffer;
  /** Hangs up, as a client that gives up mid-download. */
  hangUp(): void;
  /** Resolves once the response is over: `complete` is false for a cut transfer. */
  ended: Promise<{ complete: boolean; body: Buffer }>;
}

/** Listens on a free loopback port and GETs `path` over a real connection. */
export async function startDownload(app: FastifyInstance, path: string): Promise<Download> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const client = request({ host: '127.0.0.1', port, path, agent: false });
  client.on('error', () => {});
  client.end();
  const [response] = (await once(client, 'response')) as [IncomingMessage];
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('error', () => {});
  const ended = new Promise<{ complete: boolean; body: Buffer }>((resolve) => {
    response.once('close', () =>
      resolve({ complete: response.complete, body: Buffer.concat(chunks) }),
    );
  });
  return {
    response,
    received: () => Buffer.concat(chunks),
    hangUp: () => client.destroy(),
    ended,
  };
}
