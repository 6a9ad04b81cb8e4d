import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// The built entry point, as `pnpm start` runs it; turbo builds it before this test runs.
const serverEntry = fileURLToPath(new URL('../dist/server.js', import.meta.url));

interface RunningServer {
  child: ChildProcess;
  url: string;
  logLines: () => Array<{ msg?: string; [field: string]: unknown }>;
}

const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

function spawnServer(env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [serverEntry], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}

async function startServer(): Promise<RunningServer> {
  const child = spawnServer({ HOST: '127.0.0.1', PORT: '0' });
  const lines: string[] = [];
  let buffered = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no listen line in: ${lines.join('\n')}`)),
      10_000,
    );
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        const match = /executor listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      }
    });
    child.once('exit', (code) =>
      reject(new Error(`server exited with ${code}: ${lines.join('\n')}`)),
    );
  });
  return { child, url, logLines: () => lines.map((line) => JSON.parse(line)) };
}

describe('the executor process', () => {
  it('logs that the export plugin is registered and that it listens, with its port', async () => {
    const server = await startServer();
    const messages = server.logLines().map((line) => line.msg);
    expect(messages).toContain('export plugin registered');
    expect(messages.find((msg) => msg?.startsWith('executor listening on'))).toMatch(/:\d{2,5}$/);
  });

  it('serves GET /health over HTTP', async () => {
    const server = await startServer();
    const response = await fetch(`${server.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'stops cleanly with exit code 0 on %s',
    async (signal) => {
      const server = await startServer();
      const exited = once(server.child, 'exit');
      server.child.kill(signal);
      const [code] = await exited;
      expect(code).toBe(0);
      const messages = server.logLines().map((line) => line.msg);
      expect(messages).toContain('executor stopped');
    },
  );

  it('refuses to start with a bad variable, naming it, and exits 1', async () => {
    const child = spawnServer({ PORT: 'not-a-port' });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr).toContain(
      'executor: environment variable PORT must be an integer from 0 to 65535, got "not-a-port"',
    );
  });
});
