import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { findFreePort } from '@org/test-redis';
import { podman, runPodman } from './podman.js';

export interface ExecutorContainer {
  name: string;
  /** `http://127.0.0.1:<port>`: the container shares the host's network. */
  url: string;
  logs(): Promise<string>;
  /** `podman stop`: SIGTERM, then SIGKILL after `timeoutSeconds`. */
  stop(timeoutSeconds: number): Promise<{ exitCode: number; stoppedInMs: number }>;
  /** Removes the container and its volume, running or not. */
  remove(): Promise<void>;
}

export interface StartExecutorContainerOptions {
  image: string;
  /** Variables added to the image's own; PORT is always a free one. */
  environment?: Record<string, string>;
  /** How long /health has to answer 200; 30 s unless given. */
  startTimeoutMs?: number;
}

/**
 * Starts the image as Kubernetes would with the manifests in ops/kubernetes: a read-only root
 * file system (not even a /tmp), EXPORT_DIR on a volume of its own. Resolves once /health
 * answers 200.
 */
export async function startExecutorContainer(
  options: StartExecutorContainerOptions,
): Promise<ExecutorContainer> {
  const name = `export-executor-check-${randomUUID().slice(0, 8)}`;
  const volume = `${name}-exports`;
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const environment = { ...options.environment, PORT: String(port) };
  const container: ExecutorContainer = {
    name,
    url,
    logs: async () => {
      const result = await runPodman(['logs', name]);
      return `${result.stdout}${result.stderr}`;
    },
    stop: async (timeoutSeconds) => {
      const started = performance.now();
      await podman(['stop', '--time', String(timeoutSeconds), name]);
      const stoppedInMs = performance.now() - started;
      const exitCode = Number(
        (await podman(['inspect', '--format', '{{.State.ExitCode}}', name])).trim(),
      );
      return { exitCode, stoppedInMs };
    },
    remove: async () => {
      await runPodman(['rm', '--force', '--time', '0', name]);
      await runPodman(['volume', 'rm', '--force', volume]);
    },
  };
  await podman([
    'run',
    '--detach',
    '--name',
    name,
    '--network',
    'host',
    '--read-only',
    '--read-only-tmpfs=false',
    '--volume',
    `${volume}:/exports`,
    ...Object.entries(environment).flatMap(([key, value]) => ['--env', `${key}=${value}`]),
    options.image,
  ]);
  try {
    await waitForHealth(url, options.startTimeoutMs ?? 30_000);
  } catch (error) {
    const logs = await container.logs();
    await container.remove();
    throw new Error(`${(error as Error).message}; the container's log:\n${logs}`, { cause: error });
  }
  return container;
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let lastError: unknown;
  while (performance.now() < deadline) {
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
      lastError = new Error(`answered ${response.status}`);
    } catch (error) {
      lastError = error;
    }
    await sleep(200);
  }
  throw new Error(`GET ${url}/health did not answer 200 within ${timeoutMs} ms: ${lastError}`);
}
