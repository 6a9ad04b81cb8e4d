import { type SpawnOptions, spawn, spawnSync } from 'node:child_process';
import {
  accessSync,
  appendFileSync,
  chownSync,
  constants,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { findFreePort } from '@org/test-redis';

const host = '127.0.0.1';
/** The superuser initdb creates, whatever the user that runs it. */
const superuser = 'postgres';
const database = 'postgres';
const defaultStartTimeoutS = 30;
// Another process may take the free port between our check and the postmaster's bind.
const bindAttempts = 3;
const addressInUse = /could not bind|Address already in use/;
const keptOutputChars = 64 * 1024;
const debianBinParent = '/usr/lib/postgresql';
const notInstalledMessage =
  'PostgreSQL is not installed: the PostgreSQL round-trip tests need initdb, pg_ctl, postgres ' +
  'and psql (Debian: apt-get install postgresql); .ci/run installs it';

export interface PostgresServer {
  host: string;
  port: number;
  user: string;
  database: string;
  /** `postgresql://postgres@127.0.0.1:<port>/postgres` (trust authentication). */
  url: string;
  /**
   * Runs `sql` with psql (`-X -q -At`, ON_ERROR_STOP) in a session whose time zone is UTC, and
   * resolves with everything it wrote to stdout; rejects with psql's stderr when it fails.
   */
  psql(sql: string): Promise<Buffer>;
  /** Stops the server (immediate shutdown) and removes its folder. Idempotent. */
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** How long the server has to accept connections; 30 s unless given. */
  startTimeoutS?: number;
}

interface Binaries {
  initdb: string;
  pgCtl: string;
  psql: string;
}

/** initdb and postgres refuse to run as root: as root, they run as this user (Debian's). */
interface RunAs {
  prefix: string[];
  uid: number;
  gid: number;
}

// A test that fails before its stop() must not leave a postmaster behind the worker.
const runningClusters = new Map<string, () => void>();
let exitHookInstalled = false;

/**
 * Starts a throwaway PostgreSQL cluster: initdb (UTF8, no locale, trust authentication) into a
 * new temporary folder, then a postmaster on a free port of 127.0.0.1 with its socket in that
 * folder, fsync off. As root (CI), initdb and pg_ctl run as the `postgres` user through runuser.
 * Fails, naming `apt-get install postgresql`, when PostgreSQL is not installed: never skips.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const startTimeoutS = options.startTimeoutS ?? defaultStartTimeoutS;
  const binaries = findBinaries();
  const runAs = runAsForCurrentUser();
  const directory = mkdtempSync(join(tmpdir(), 'executor-postgres-'));
  const dataDirectory = join(directory, 'data');
  const logFile = join(directory, 'postgres.log');
  try {
    if (runAs) chownSync(directory, runAs.uid, runAs.gid);
    await run(
      runAs,
      binaries.initdb,
      [
        `--pgdata=${dataDirectory}`,
        `--username=${superuser}`,
        '--auth=trust',
        '--encoding=UTF8',
        '--no-locale',
        '--no-sync',
      ],
      directory,
    );
    // Written here, not passed through pg_ctl's -o (a shell command line): no quoting of paths.
    appendFileSync(
      join(dataDirectory, 'postgresql.conf'),
      [
        '',
        '# A throwaway cluster for tests (@org/test-postgres).',
        `listen_addresses = '${host}'`,
        `unix_socket_directories = '${directory}'`,
        "timezone = 'UTC'",
        "log_timezone = 'UTC'",
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        '',
      ].join('\n'),
    );
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }

  // Immediate: nothing in a throwaway cluster is worth a checkpoint.
  const stopArguments = ['stop', '-D', dataDirectory, '-m', 'immediate', '-w'];
  const stopNow = () => {
    spawnSync(...command(runAs, binaries.pgCtl, stopArguments), {
      cwd: directory,
      stdio: 'ignore',
    });
    rmSync(directory, { recursive: true, force: true });
  };
  runningClusters.set(directory, stopNow);
  if (!exitHookInstalled) {
    process.once('exit', () => {
      for (const stop of runningClusters.values()) stop();
    });
    exitHookInstalled = true;
  }
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      // Fails when the server never started: there is only the folder to remove then.
      await run(runAs, binaries.pgCtl, stopArguments, directory).catch(() => {});
      runningClusters.delete(directory);
      rmSync(directory, { recursive: true, force: true });
    })();
    return stopping;
  };

  let port = 0;
  for (let attempt = 1; ; attempt += 1) {
    port = await findFreePort(host);
    // pg_ctl appends to the log: each attempt's failure is read from its own.
    rmSync(logFile, { force: true });
    try {
      await run(
        runAs,
        binaries.pgCtl,
        [
          'start',
          '-D',
          dataDirectory,
          '-l',
          logFile,
          '-o',
          `-p ${port}`,
          '-w',
          '-t',
          String(startTimeoutS),
        ],
        directory,
      );
      break;
    } catch (error) {
      const log = readLog(logFile);
      if (addressInUse.test(log) && attempt < bindAttempts) continue;
      await stop();
      throw new Error(`${(error as Error).message}\n${log}`, { cause: error });
    }
  }

  // Its output in UTF-8, whatever PGCLIENTENCODING the environment has; -X skips any ~/.psqlrc.
  const psqlEnvironment = { ...process.env, PGCLIENTENCODING: 'UTF8' };
  const psql = (sql: string) =>
    capture(
      binaries.psql,
      [
        '-X',
        '-q',
        '-A',
        '-t',
        '-v',
        'ON_ERROR_STOP=1',
        '-h',
        host,
        '-p',
        String(port),
        '-U',
        superuser,
        '-d',
        database,
        '-c',
        "SET TIME ZONE 'UTC'",
        '-c',
        sql,
      ],
      { env: psqlEnvironment },
    );
  try {
    await psql('SELECT 1');
  } catch (error) {
    await stop();
    throw new Error(
      `PostgreSQL on ${host}:${port} started but does not answer psql:\n${readLog(logFile)}`,
      {
        cause: error,
      },
    );
  }
  return {
    host,
    port,
    user: superuser,
    database,
    url: `postgresql://${superuser}@${host}:${port}/${database}`,
    psql,
    stop,
  };
}

/**
 * The newest /usr/lib/postgresql/<version>/bin (Debian keeps its binaries there, off the PATH),
 * else the first folder of the PATH with initdb.
 */
function findBinaries(): Binaries {
  const candidates: string[] = [];
  try {
    const versions = readdirSync(debianBinParent)
      .filter((name) => /^\d+(\.\d+)?$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((version) => join(debianBinParent, version, 'bin')));
  } catch {
    // No Debian layout: only the PATH.
  }
  candidates.push(...(process.env.PATH ?? '').split(delimiter).filter((folder) => folder !== ''));
  for (const folder of candidates) {
    const binaries = {
      initdb: join(folder, 'initdb'),
      pgCtl: join(folder, 'pg_ctl'),
      psql: join(folder, 'psql'),
    };
    if (Object.values(binaries).every(isExecutable)) return binaries;
  }
  throw new Error(notInstalledMessage);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function runAsForCurrentUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => {
    const result = spawnSync('id', [flag, superuser], { encoding: 'utf8' });
    return result.status === 0 ? Number(result.stdout.trim()) : undefined;
  };
  const uid = id('-u');
  const gid = id('-g');
  if (uid === undefined || gid === undefined) {
    throw new Error(
      `running as root, and initdb refuses root: the tests run it as the ${superuser} user, which does not exist (Debian's postgresql package creates it: apt-get install postgresql)`,
    );
  }
  return { prefix: ['runuser', '-u', superuser, '--'], uid, gid };
}

function command(runAs: RunAs | undefined, executable: string, args: string[]): [string, string[]] {
  if (!runAs) return [executable, args];
  const [runner = 'runuser', ...prefix] = runAs.prefix;
  return [runner, [...prefix, executable, ...args]];
}

/** Runs a PostgreSQL tool (as the postgres user when root) and rejects with its output on failure. */
async function run(
  runAs: RunAs | undefined,
  executable: string,
  args: string[],
  cwd: string,
): Promise<void> {
  const [file, fileArgs] = command(runAs, executable, args);
  // The cwd is a folder the postgres user may enter: tools that resolve paths refuse others.
  await capture(file, fileArgs, { cwd }).catch((error: unknown) => {
    throw new Error(`${[file, ...fileArgs].join(' ')} failed: ${(error as Error).message}`, {
      cause: error,
    });
  });
}

/** Spawns `file` and resolves with its stdout, or rejects with its exit and stderr. */
function capture(file: string, args: string[], options: SpawnOptions = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let errorOutput = '';
    child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      errorOutput = (errorOutput + chunk).slice(-keptOutputChars);
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new Error(`${file}: ${notInstalledMessage}`, { cause: error })
          : error,
      );
    });
    child.once('close', (code, signal) => {
      if (code === 0) resolve(Buffer.concat(chunks));
      else reject(new Error(`exited with ${signal ?? `code ${code}`}:\n${errorOutput}`));
    });
  });
}

function readLog(logFile: string): string {
  try {
    return readFileSync(logFile, 'utf8').slice(-keptOutputChars);
  } catch {
    return '(no server log)';
  }
}
