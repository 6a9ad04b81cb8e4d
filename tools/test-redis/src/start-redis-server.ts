import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findFreePort } from './find-free-port.js';

const host = '127.0.0.1';
const defaultStartTimeoutMs = 10_000;
const killAfterMs = 5_000;
const pingIntervalMs = 20;
const pingTimeoutMs = 1_000;
// Another process may take the free port between our check and redis-server's bind.
const bindAttempts = 3;
const addressInUse = /Address already in use/;
const keptOutputChars = 64 * 1024;
const notInstalledMessage =
  'redis-server is not installed: the cluster tests need a real Redis ' +
  '(Debian: apt-get install redis-server); .ci/run installs it';

export interface RedisServer {
  /** `redis://127.0.0.1:<port>`, or EXPORT_TEST_REDIS_URL when that is set. */
  url: string;
  port: number;
  /** Stops the server and removes its directory; does nothing for a shared server. Idempotent. */
  stop(): Promise<void>;
}

export interface StartRedisServerOptions {
  /**
   * The environment to read EXPORT_TEST_REDIS_URL from and to start redis-server with (its PATH
   * finds the executable); process.env unless given.
   */
  environment?: NodeJS.ProcessEnv;
  /** How long redis-server has to answer PING; 10 s unless given. */
  startTimeoutMs?: number;
}

// A test that fails before its stop() must not leave a redis-server behind the worker.
const runningServers = new Set<ChildProcess>();
let exitHookInstalled = false;

function killRunningServers(): void {
  for (const child of runningServers) child.kill('SIGKILL');
}

/**
 * Starts a throwaway redis-server on a free loopback port, without persistence, and resolves
 * once it answers PING. When EXPORT_TEST_REDIS_URL is set (CI starts one Redis for the whole
 * run), resolves with that server instead and starts nothing; tests share it through unique
 * queue names.
 */
export async function startRedisServer(
  options: StartRedisServerOptions = {},
): Promise<RedisServer> {
  const environment = options.environment ?? process.env;
  const startTimeoutMs = options.startTimeoutMs ?? defaultStartTimeoutMs;

  const sharedUrl = environment.EXPORT_TEST_REDIS_URL;
  if (sharedUrl) return sharedRedisServer(sharedUrl);

  for (let attempt = 1; ; attempt += 1) {
    try {
      return await spawnRedisServer(environment, startTimeoutMs);
    } catch (error) {
      const retry = error instanceof PortTakenError && attempt < bindAttempts;
      if (!retry) throw error;
    }
  }
}

function sharedRedisServer(url: string): RedisServer {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new Error(`EXPORT_TEST_REDIS_URL must be a redis:// URL, got ${url}`, { cause: error });
  }
  if (parsed.protocol !== 'redis:') {
    throw new Error(`EXPORT_TEST_REDIS_URL must be a redis:// URL, got ${url}`);
  }
  const port = parsed.port === '' ? 6379 : Number(parsed.port);
  return { url, port, stop: async () => {} };
}

class PortTakenError extends Error {}

async function spawnRedisServer(
  environment: NodeJS.ProcessEnv,
  startTimeoutMs: number,
): Promise<RedisServer> {
  const port = await findFreePort(host);
  const directory = mkdtempSync(join(tmpdir(), 'executor-redis-'));
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
    { env: environment, stdio: ['ignore', 'pipe', 'pipe'] },
  );

  // Redis logs to stdout; stderr has the rest. Both go into a start failure's message.
  let output = '';
  const keepOutput = (chunk: string) => {
    output = (output + chunk).slice(-keptOutputChars);
  };
  child.stdout.setEncoding('utf8').on('data', keepOutput);
  child.stderr.setEncoding('utf8').on('data', keepOutput);

  let spawnError: NodeJS.ErrnoException | undefined;
  let exitDescription: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      spawnError = error;
      resolve();
    });
    child.once('exit', (code, signal) => {
      exitDescription = signal === null ? `code ${code}` : `signal ${signal}`;
      resolve();
    });
  });
  runningServers.add(child);
  if (!exitHookInstalled) {
    process.once('exit', killRunningServers);
    exitHookInstalled = true;
  }

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (spawnError === undefined && exitDescription === undefined) {
        child.kill('SIGTERM');
        const killTimer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        await exited;
        clearTimeout(killTimer);
      }
      runningServers.delete(child);
      rmSync(directory, { recursive: true, force: true });
    })();
    return stopping;
  };

  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (spawnError !== undefined) {
      await stop();
      if (spawnError.code === 'ENOENT') throw new Error(notInstalledMessage, { cause: spawnError });
      throw new Error(`could not start redis-server: ${spawnError.message}`, { cause: spawnError });
    }
    if (exitDescription !== undefined) {
      await stop();
      const message = `redis-server exited with ${exitDescription} before answering PING on port ${port}:\n${output}`;
      throw addressInUse.test(output) ? new PortTakenError(message) : new Error(message);
    }
    if (await pingRedis(port)) break;
    if (Date.now() >= deadline) {
      await stop();
      throw new Error(
        `redis-server did not answer PING on port ${port} within ${startTimeoutMs} ms:\n${output}`,
      );
    }
    await sleep(pingIntervalMs);
  }

  return { url: `redis://${host}:${port}`, port, stop };
}

/**
 * Resolves true when a Redis on `port` (of 127.0.0.1 unless `pingHost` is given) answers
 * `PING` with `+PONG`, false when it refuses, answers anything else or stays silent for 1 s.
 * Speaks RESP over node:net, so it needs no client library.
 */
export function pingRedis(port: number, pingHost = host): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: pingHost, port });
    let reply = '';
    const finish = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(pingTimeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('close', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      reply += chunk;
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG\r\n'));
    });
  });
}
