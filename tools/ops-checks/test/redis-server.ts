import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

// A trimmed copy of services/executor/test/cluster/redis-server.ts, which tools cannot import.
const host = '127.0.0.1';
const startTimeoutMs = 10_000;
const notInstalledMessage =
  'redis-server is not installed: the cluster scrape needs a real Redis ' +
  '(Debian: apt-get install redis-server); .ci/run installs it';

export interface RedisServer {
  /** `redis://127.0.0.1:<port>`, or EXPORT_TEST_REDIS_URL when that is set. */
  url: string;
  /** Stops the server and removes its folder; does nothing for a shared server. */
  stop(): Promise<void>;
}

/**
 * EXPORT_TEST_REDIS_URL's server when that is set (CI starts one for the whole run); else a
 * throwaway redis-server on a free loopback port, without persistence, once it answers PING.
 */
export async function startRedisServer(environment = process.env): Promise<RedisServer> {
  const sharedUrl = environment.EXPORT_TEST_REDIS_URL;
  if (sharedUrl) return { url: sharedUrl, stop: async () => {} };

  const port = await findFreePort();
  const directory = mkdtempSync(join(tmpdir(), 'ops-checks-redis-'));
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      host,
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      directory,
    ],
    { env: environment, stdio: 'ignore' },
  );
  let failure: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      failure =
        error.code === 'ENOENT'
          ? new Error(notInstalledMessage, { cause: error })
          : new Error(`could not start redis-server: ${error.message}`, { cause: error });
      resolve();
    });
    child.once('exit', (code, signal) => {
      failure ??= new Error(`redis-server on port ${port} exited with ${signal ?? `code ${code}`}`);
      resolve();
    });
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(directory, { recursive: true, force: true });
  };

  const deadline = Date.now() + startTimeoutMs;
  while (!(await answersPing(port))) {
    if (failure === undefined && Date.now() >= deadline) {
      failure = new Error(`redis-server did not answer PING on port ${port} within 10 s`);
    }
    if (failure !== undefined) {
      await stop();
      throw failure;
    }
    await sleep(20);
  }
  return { url: `redis://${host}:${port}`, stop };
}

async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('expected a TCP address');
  return address.port;
}

/** Speaks RESP over node:net, so it needs no client library. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let reply = '';
    const finish = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(1_000, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('close', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      reply += chunk;
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG\r\n'));
    });
  });
}
