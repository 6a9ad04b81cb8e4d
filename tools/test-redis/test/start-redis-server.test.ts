import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pingRedis, type RedisServer, startRedisServer } from '../src/start-redis-server.js';

// Every test starts its own server, whatever EXPORT_TEST_REDIS_URL says, unless it sets one.
const ownEnvironment = { PATH: process.env.PATH };

const servers: RedisServer[] = [];
const folders: string[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

async function startOwnRedisServer(): Promise<RedisServer> {
  const server = await startRedisServer({ environment: ownEnvironment });
  servers.push(server);
  return server;
}

/** A PATH of one folder that holds `redis-server`, a shell script with the given body. */
function pathWithFakeRedisServer(body: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'executor-fake-redis-'));
  folders.push(folder);
  const script = join(folder, 'redis-server');
  writeFileSync(script, `#!/bin/sh\n${body}\n`);
  chmodSync(script, 0o755);
  return `${folder}:/usr/bin:/bin`;
}

function canListenOn(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

describe('startRedisServer', () => {
  it('starts a redis-server on a loopback port that answers PING', async () => {
    const server = await startOwnRedisServer();

    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    expect(await pingRedis(server.port)).toBe(true);
  });

  it('stops the server and frees its port', async () => {
    const server = await startOwnRedisServer();

    await server.stop();

    expect(await pingRedis(server.port)).toBe(false);
    expect(await canListenOn(server.port)).toBe(true);
  });

  it('resolves a second stop() without error', async () => {
    const server = await startOwnRedisServer();

    await Promise.all([server.stop(), server.stop()]);
    await expect(server.stop()).resolves.toBeUndefined();
  });

  it('gives each call its own server', async () => {
    const [first, second] = await Promise.all([startOwnRedisServer(), startOwnRedisServer()]);

    expect(first.port).not.toBe(second.port);
    await first.stop();
    expect(await pingRedis(second.port)).toBe(true);
  });

  it('returns the server of EXPORT_TEST_REDIS_URL and leaves it running on stop()', async () => {
    const shared = await startOwnRedisServer();

    const server = await startRedisServer({
      environment: { ...ownEnvironment, EXPORT_TEST_REDIS_URL: shared.url },
    });
    await server.stop();

    expect(server).toMatchObject({ url: shared.url, port: shared.port });
    expect(await pingRedis(shared.port)).toBe(true);
  });

  it('rejects an EXPORT_TEST_REDIS_URL that is not a redis:// URL', async () => {
    await expect(
      startRedisServer({ environment: { EXPORT_TEST_REDIS_URL: 'http://127.0.0.1:6379' } }),
    ).rejects.toThrow('EXPORT_TEST_REDIS_URL must be a redis:// URL, got http://127.0.0.1:6379');
  });

  it('says how to install redis-server when it is not on PATH', async () => {
    const emptyFolder = mkdtempSync(join(tmpdir(), 'executor-empty-path-'));
    folders.push(emptyFolder);

    await expect(startRedisServer({ environment: { PATH: emptyFolder } })).rejects.toThrow(
      'redis-server is not installed: the cluster tests need a real Redis ' +
        '(Debian: apt-get install redis-server); .ci/run installs it',
    );
  });

  it('reports the output of a redis-server that exits before answering PING', async () => {
    const PATH = pathWithFakeRedisServer('echo "FATAL CONFIG FILE ERROR" >&2; exit 1');

    await expect(startRedisServer({ environment: { PATH } })).rejects.toThrow(
      /redis-server exited with code 1 before answering PING on port \d+:\nFATAL CONFIG FILE ERROR/,
    );
  });

  it('gives up on a redis-server that does not answer PING in time, and kills it', async () => {
    const pidFile = join(mkdtempSync(join(tmpdir(), 'executor-fake-redis-pid-')), 'pid');
    folders.push(dirname(pidFile));
    const PATH = pathWithFakeRedisServer(
      `echo $$ > '${pidFile}'; echo "still loading" >&2; exec sleep 30`,
    );

    await expect(startRedisServer({ environment: { PATH }, startTimeoutMs: 200 })).rejects.toThrow(
      /redis-server did not answer PING on port \d+ within 200 ms:\nstill loading/,
    );
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  });
});
