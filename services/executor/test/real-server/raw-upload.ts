import { once } from 'node:events';
import { connect, type Socket } from 'node:net';

export interface RawUpload {
  socket: Socket;
  /** Writes one chunk of the chunked body, waiting for `drain`; rejects if the socket fails. */
  send(text: string): Promise<void>;
  /** Writes the last chunk: the upload is complete. */
  end(): Promise<void>;
  /** Everything the server sent, once it has sent a whole JSON answer or closed. */
  answer(): Promise<RawAnswer>;
}

export interface RawAnswer {
  statusCode: number;
  headers: Record<string, string>;
  json: { code?: string } | undefined;
}

/**
 * A chunked POST (NDJSON unless told) on a bare socket: unlike Node's client, which stops sending once it has
 * an answer, it sends whatever the test tells it to, and never leaves unless told.
 */
export async function startRawUpload(
  url: string,
  path: string,
  contentType = 'application/x-ndjson',
): Promise<RawUpload> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  let received = '';
  let failure: Error | undefined;
  socket.setEncoding('utf8').on('data', (piece: string) => {
    received += piece;
  });
  socket.on('error', (error) => {
    failure = error;
  });
  const write = async (text: string) => {
    if (failure) throw failure;
    if (!socket.write(text)) {
      await Promise.race([once(socket, 'drain'), once(socket, 'close')]);
    }
    if (failure) throw failure;
    if (socket.destroyed) throw new Error('the server closed the connection');
  };
  await write(
    `POST ${path} HTTP/1.1\r\nhost: ${hostname}\r\n` +
      `content-type: ${contentType}\r\ntransfer-encoding: chunked\r\n\r\n`,
  );
  return {
    socket,
    send: (text) => write(`${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`),
    end: () => write('0\r\n\r\n'),
    async answer() {
      for (;;) {
        const parsed = parseAnswer(received);
        if (parsed) return parsed;
        if (failure) throw failure;
        if (socket.readableEnded || socket.destroyed) {
          throw new Error(`the connection closed after: ${JSON.stringify(received)}`);
        }
        await Promise.race([once(socket, 'data'), once(socket, 'close')]);
      }
    },
  };
}

function parseAnswer(received: string): RawAnswer | undefined {
  const headEnd = received.indexOf('\r\n\r\n');
  if (headEnd === -1) return undefined;
  const [statusLine = '', ...headerLines] = received.slice(0, headEnd).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = received.slice(headEnd + 4);
  if (Buffer.byteLength(body) < Number(headers['content-length'] ?? 0)) return undefined;
  return {
    statusCode: Number(statusLine.split(' ')[1]),
    headers,
    json: body === '' ? undefined : (JSON.parse(body) as { code?: string }),
  };
}
