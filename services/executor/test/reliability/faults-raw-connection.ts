import { once } from 'node:events';
import { connect, type Socket } from 'node:net';

export interface RawConnection {
  socket: Socket;
  /** Writes bytes as they are, waiting for `drain` when the socket is full. */
  write(text: string): Promise<void>;
  /** Everything received so far, as latin1 text: bytes as they came, status lines included. */
  received(): string;
  /** Resolves once the server has closed the connection, or it was destroyed. */
  closed: Promise<void>;
}

/**
 * A TCP connection to the server with no HTTP client in between, to see the bytes on the wire:
 * a status line written into a body would be hidden by a client's parser, which fails on it.
 */
export async function openRawConnection(url: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port) });
  await once(socket, 'connect');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return {
    socket,
    async write(text) {
      if (socket.destroyed) throw new Error('the connection is closed');
      if (!socket.write(text, 'latin1')) await once(socket, 'drain');
    },
    received: () => Buffer.concat(chunks).toString('latin1'),
    closed,
  };
}

/** One chunk of a `transfer-encoding: chunked` body. */
export function chunk(text: string): string {
  return `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
}
