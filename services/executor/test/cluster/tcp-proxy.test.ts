import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

const host = '127.0.0.1';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A loopback server that greets each connection, then sends back whatever it receives. */
async function startEchoServer(): Promise<{ port: number; connections: Set<Socket> }> {
  const connections = new Set<Socket>();
  const server: Server = createServer((socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
    socket.on('error', () => {});
    socket.write('hello\n');
    socket.pipe(socket);
  });
  server.listen(0, host);
  await once(server, 'listening');
  cleanups.push(async () => {
    for (const socket of connections) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('expected a TCP address');
  return { port: address.port, connections };
}

async function startProxyToEchoServer(): Promise<{
  proxy: TcpProxy;
  echo: Awaited<ReturnType<typeof startEchoServer>>;
}> {
  const echo = await startEchoServer();
  const proxy = await startTcpProxy({ host, port: echo.port });
  cleanups.push(() => proxy.close());
  return { proxy, echo };
}

/** A connected client that collects what it receives. */
async function connectClient(port: number): Promise<{ socket: Socket; received: () => string }> {
  const socket = connect({ host, port });
  socket.on('error', () => {});
  cleanups.push(async () => {
    socket.destroy();
  });
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => {
    received += chunk;
  });
  await once(socket, 'connect');
  return { socket, received: () => received };
}

async function receivedUntil(client: { socket: Socket; received: () => string }, text: string) {
  while (!client.received().includes(text)) await once(client.socket, 'data');
  return client.received();
}

/** A loopback port nothing listens on: one the system just gave a listener that closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, host);
  await once(server, 'listening');
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('expected a TCP address');
  return address.port;
}

/** Resolves with the error code of a connect to `port`, or 'connected'. */
function connectOutcome(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('startTcpProxy', () => {
  it('carries bytes both ways between a client and the target', async () => {
    const { proxy } = await startProxyToEchoServer();
    const client = await connectClient(proxy.port);

    expect(await receivedUntil(client, 'hello\n')).toBe('hello\n');
    client.socket.write('ping\n');
    expect(await receivedUntil(client, 'ping\n')).toBe('hello\nping\n');
  });

  it('carries a megabyte each way intact', async () => {
    const { proxy } = await startProxyToEchoServer();
    const client = await connectClient(proxy.port);
    const payload = 'abcdefghijklmnop'.repeat(64 * 1024);

    client.socket.write(payload);

    expect(await receivedUntil(client, payload)).toBe(`hello\n${payload}`);
  });

  it('closes the connected clients on cut() and refuses new ones', async () => {
    const { proxy, echo } = await startProxyToEchoServer();
    const client = await connectClient(proxy.port);
    await receivedUntil(client, 'hello\n');
    const clientClosed = once(client.socket, 'close');

    proxy.cut();

    await clientClosed;
    expect(await connectOutcome(proxy.port)).toBe('ECONNREFUSED');
    await expect.poll(() => echo.connections.size).toBe(0);
  });

  it('accepts connections again on the same port after restore()', async () => {
    const { proxy } = await startProxyToEchoServer();
    const { port } = proxy;
    proxy.cut();

    await proxy.restore();

    expect(proxy.port).toBe(port);
    const client = await connectClient(port);
    client.socket.write('again\n');
    expect(await receivedUntil(client, 'again\n')).toBe('hello\nagain\n');
  });

  it('survives cut() and restore() called twice in a row', async () => {
    const { proxy } = await startProxyToEchoServer();

    proxy.cut();
    proxy.cut();
    await Promise.all([proxy.restore(), proxy.restore()]);

    expect(await connectOutcome(proxy.port)).toBe('connected');
  });

  it('stays cut when cut() follows a restore() still under way', async () => {
    const { proxy } = await startProxyToEchoServer();
    proxy.cut();

    const restored = proxy.restore();
    proxy.cut();
    await restored;

    expect(await connectOutcome(proxy.port)).toBe('ECONNREFUSED');
  });

  it('closes the client when the target closes its side', async () => {
    const { proxy, echo } = await startProxyToEchoServer();
    const client = await connectClient(proxy.port);
    await receivedUntil(client, 'hello\n');
    const clientClosed = once(client.socket, 'close');

    for (const socket of echo.connections) socket.destroy();

    await clientClosed;
  });

  it('closes the client when the target refuses the connection', async () => {
    const proxy = await startTcpProxy({ host, port: await closedPort() });
    cleanups.push(() => proxy.close());

    const client = await connectClient(proxy.port);

    await once(client.socket, 'close');
  });

  it('closes everything on close(), and cannot be restored after', async () => {
    const { proxy, echo } = await startProxyToEchoServer();
    const client = await connectClient(proxy.port);
    await receivedUntil(client, 'hello\n');
    const clientClosed = once(client.socket, 'close');

    await proxy.close();
    await proxy.close();

    await clientClosed;
    expect(await connectOutcome(proxy.port)).toBe('ECONNREFUSED');
    await expect.poll(() => echo.connections.size).toBe(0);
    await expect(proxy.restore()).rejects.toThrow('the proxy is closed; it cannot be restored');
  });
});
