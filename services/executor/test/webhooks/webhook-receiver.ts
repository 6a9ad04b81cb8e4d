import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { verifyWebhookSignature } from '../../src/webhooks/webhook-signature.js';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  /** Whether its Export-Signature holds under the receiver's secret. */
  signed: boolean;
  /** What the receiver answered. */
  status: number;
}

export interface WebhookReceiver {
  /** `127.0.0.1:<port>`, for EXPORT_WEBHOOK_HOSTS. */
  host: string;
  url(path?: string): string;
  received: ReceivedWebhook[];
  /** The status of each answer in turn; once used up, 200. */
  answers: number[];
  close(): Promise<void>;
}

const open: Server[] = [];

afterEach(async () => {
  await Promise.all(
    open.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
  );
});

/**
 * A real HTTP server on loopback, as a client's webhook endpoint: it checks each delivery's
 * signature as a receiver would and answers with the statuses it is given, then 200.
 */
export async function startWebhookReceiver(
  secret: string,
  { answers = [], port = 0 }: { answers?: number[]; port?: number } = {},
): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const receiver = { answers: [...answers] };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const status = receiver.answers.shift() ?? 200;
      received.push({
        headers: request.headers,
        body,
        signed: verifyWebhookSignature({
          secret,
          header: request.headers['export-signature'] as string | undefined,
          body,
        }),
        status,
      });
      if (status >= 300 && status < 400) response.setHeader('location', '/elsewhere');
      response.writeHead(status).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  open.push(server);
  const { port: bound } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${bound}`,
    url: (path = '/hooks/export') => `http://127.0.0.1:${bound}${path}`,
    received,
    get answers() {
      return receiver.answers;
    },
    set answers(next) {
      receiver.answers = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
