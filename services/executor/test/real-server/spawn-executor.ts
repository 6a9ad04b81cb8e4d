import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { httpJson } from './http-json.js';
import { waitUntil } from './wait-until.js';

// The built entry point, as `pnpm start` runs it; turbo builds it before the tests run.
const serverEntry = fileURLToPath(new URL('../../dist/server.js', import.meta.url));
const listenLine = /executor listening on (http:\/\/127\.0\.0\.1:\d+)/;
const startTimeoutMs = 10_000;

export interface ExecutorProcess {
  /** `http://127.0.0.1:<port>`, read from the listen line. */
  url: string;
  child: ChildProcess;
  /** The EXPORT_DIR, temporary unless given; removed after the test either way. */
  exportDirectory: string;
  /** Everything the process wrote to stdout and stderr so far. */
  logs(): string;
  /** The `msg` of every pino line on stdout so far. */
  logMessages(): string[];
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** Sends `signal` (default SIGTERM) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const children: ChildProcess[] = [];
const folders: string[] = [];

afterEach(() => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

export interface StartOptions {
  /**
   * The EXPORT_DIR to use instead of a new temporary one: an earlier process's, to restart on
   * the same files. Removed after the test like the others.
   */
  exportDirectory?: string;
  /**
   * The largest file the process may write, in KiB: it runs under `ulimit -f`, so a write past
   * that fails with EFBIG (Node ignores SIGXFSZ, which would otherwise kill it). Root too.
   */
  fileSizeLimitKib?: number;
  /**
   * Resolve once the listen line is out, while the stored jobs may still be recovering (the job
   * routes then answer 503 EXECUTOR_RECOVERING). Default: once recovery is done too.
   */
  whileRecovering?: boolean;
}

/**
 * Starts `node dist/server.js` on 127.0.0.1 with PORT=0 and its own EXPORT_DIR (or the one
 * given), and resolves once it logs the address it listens on. Killed after each test.
 */
export async function startExecutor(
  env: NodeJS.ProcessEnv = {},
  options: StartOptions = {},
): Promise<ExecutorProcess> {
  const exportDirectory =
    options.exportDirectory ?? mkdtempSync(join(tmpdir(), 'executor-real-server-'));
  if (!folders.includes(exportDirectory)) folders.push(exportDirectory);
  // bash counts `ulimit -f` in 1024-byte blocks; `exec` keeps the pid node's.
  const launch =
    options.fileSizeLimitKib === undefined
      ? { command: process.execPath, args: [serverEntry] }
      : {
          command: 'bash',
          args: [
            '-c',
            `ulimit -f ${options.fileSizeLimitKib} && exec "$0" "$1"`,
            process.execPath,
            serverEntry,
          ],
        };
  const child = spawn(launch.command, launch.args, {
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: '0',
      EXPORT_DIR: exportDirectory,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);

  let output = '';
  const stdoutLines: string[] = [];
  let partialLine = '';
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no listen line in:\n${output}`)),
      startTimeoutMs,
    );
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const lines = (partialLine + chunk).split('\n');
      partialLine = lines.pop() ?? '';
      for (const line of lines) {
        stdoutLines.push(line);
        const match = listenLine.exec(line);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the executor exited with ${code} before listening:\n${output}`));
    });
  });

  if (!options.whileRecovering) await untilRecovered(url);

  return {
    url,
    child,
    exportDirectory,
    logs: () => output,
    logMessages: () =>
      stdoutLines.flatMap((line) => {
        try {
          const message = (JSON.parse(line) as { msg?: unknown }).msg;
          return typeof message === 'string' ? [message] : [];
        } catch {
          return [];
        }
      }),
    exited,
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Resolves with the exit code, or rejects if the process is still running after `timeoutMs`. */
export async function exitWithin(
  executor: ExecutorProcess,
  timeoutMs: number,
): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the executor still runs after ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([executor.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Temporary files of exports in progress: `.<name>.<uuid>.partial`. */
export function partialFiles(exportDirectory: string): string[] {
  return readdirSync(exportDirectory).filter((name) => name.endsWith('.partial'));
}

/** What /export/run and /export/stream left in the export folder: all but the jobs' own folder. */
export function exportFiles(exportDirectory: string): string[] {
  return readdirSync(exportDirectory).filter((name) => name !== 'jobs');
}

/** Polls /ready until it no longer says the stored jobs are being recovered. */
async function untilRecovered(url: string): Promise<void> {
  await waitUntil(
    'the stored jobs to be recovered',
    async () => {
      const ready = await httpJson(url, '/ready');
      return (ready.json as { code?: unknown } | undefined)?.code === 'EXECUTOR_RECOVERING'
        ? undefined
        : true;
    },
    { timeoutMs: 60_000, intervalMs: 20 },
  );
}
