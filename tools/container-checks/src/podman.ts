import { spawn } from 'node:child_process';
import { repositoryPath } from './repository-root.js';

/**
 * How podman runs on the machines CI runs on: runc rather than crun, cgroupfs (no systemd), the
 * ulimits their kernel refuses left out (containers.conf), and the host's network, the only
 * one that reaches the registry.
 */
export const podmanGlobalArguments = Object.freeze([
  '--runtime',
  'runc',
  '--cgroup-manager',
  'cgroupfs',
]);
export const containersConfPath = repositoryPath('tools/container-checks/containers.conf');

export interface PodmanResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs podman with the global arguments above; never throws for a non-zero exit. */
export function runPodman(args: readonly string[]): Promise<PodmanResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('podman', [...podmanGlobalArguments, ...args], {
      env: { ...process.env, CONTAINERS_CONF: containersConfPath },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new Error(
              "podman is not on PATH: install Debian's podman, runc and debootstrap " +
                '(apt-get install podman runc debootstrap; .ci/run does)',
              { cause: error },
            )
          : error,
      );
    });
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Runs podman and resolves with its standard output; a non-zero exit throws with its error. */
export async function podman(args: readonly string[]): Promise<string> {
  const result = await runPodman(args);
  if (result.status !== 0) {
    throw new Error(
      `podman ${args.join(' ')} exited ${result.status}: ${result.stderr.trim().slice(-4000)}`,
    );
  }
  return result.stdout;
}

/**
 * Fails, saying why, where podman cannot run: not installed, or its runtime or storage broken.
 * Never a skip: the image has no other test.
 */
export async function assertPodmanCanRun(): Promise<void> {
  const result = await runPodman(['info', '--format', '{{.Host.OCIRuntime.Name}}']);
  if (result.status !== 0 || result.stdout.trim() !== 'runc') {
    throw new Error(
      `podman cannot run here (podman info exited ${result.status}, runtime ${JSON.stringify(result.stdout.trim())}): ` +
        `${result.stderr.trim().slice(-2000)}. It needs Debian's podman and runc ` +
        '(apt-get install podman runc debootstrap; .ci/run does), as root.',
    );
  }
}
