import { connect, createServer, type Socket } from 'node:net';

const host = '127.0.0.1';

export interface TcpProxyTarget {
  host: string;
  port: number;
}

export interface TcpProxy {
  /** The loopback port the proxy listens on; the same after restore(). */
  port: number;
  /**
   * Simulates losing the target: destroys every open connection and stops listening, so a new
   * connect is refused (ECONNREFUSED) until restore().
   */
  cut(): void;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  /** Destroys every connection and stops listening for good. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts a TCP proxy on a free loopback port that forwards each connection to `target`, for
 * tests that need the connection to Redis to drop and come back while a process runs.
 */
export async function startTcpProxy(target: TcpProxyTarget): Promise<TcpProxy> {
  const openSockets = new Set<Socket>();
  const track = (socket: Socket) => {
    openSockets.add(socket);
    socket.once('close', () => openSockets.delete(socket));
  };

  const server = createServer((client) => {
    const upstream = connect({ host: target.host, port: target.port });
    track(client);
    track(upstream);
    // Either side failing or closing ends the pair, as a lost connection would.
    for (const [socket, peer] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      socket.on('error', () => peer.destroy());
      socket.once('close', () => peer.destroy());
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });

  // Settles on 'close' too: a cut() while listen() is under way closes the server before it
  // would emit 'listening'.
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      const settle = (error?: Error) => {
        server.off('error', settle).off('listening', settle).off('close', settle);
        if (error) reject(error);
        else resolve();
      };
      server.once('error', settle).once('listening', settle).once('close', settle);
      server.listen(port, host);
    });

  await listen(0);
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error(`expected a TCP address, got ${address}`);
  }
  const { port } = address;

  // Bumped by every cut(), so a restore() that a later cut() overtook does not listen again.
  let generation = 0;
  // Resolves once the last close of the listening socket is complete.
  let stopped = Promise.resolve();
  // The listen() under way, which a concurrent restore() joins.
  let pendingListen: Promise<void> | undefined;
  let closed = false;

  const stopListening = () => {
    if (!server.listening) return;
    // close() stops accepting at once; its callback waits for the destroyed sockets to close.
    stopped = new Promise((resolve) => server.close(() => resolve()));
  };

  const cut = () => {
    generation += 1;
    for (const socket of openSockets) socket.destroy();
    stopListening();
  };

  return {
    port,
    cut,
    restore: async () => {
      if (closed) throw new Error('the proxy is closed; it cannot be restored');
      const restoreGeneration = generation;
      await stopped;
      if (generation !== restoreGeneration || server.listening) return;
      pendingListen ??= listen(port).finally(() => {
        pendingListen = undefined;
      });
      await pendingListen;
      if (generation !== restoreGeneration) stopListening();
    },
    close: async () => {
      closed = true;
      cut();
      await stopped;
    },
  };
}
