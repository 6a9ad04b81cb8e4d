import type { ExecutorProcess } from '../real-server/spawn-executor.js';
import { waitUntil } from '../real-server/wait-until.js';

/**
 * Waits until the executor has logged `message`: its stdout is a pipe read by this process, and
 * may arrive after an answer the test already has.
 */
export function waitForLogMessage(executor: ExecutorProcess, message: string): Promise<true> {
  return waitUntil(
    `the log line "${message}"`,
    async () => (executor.logMessages().includes(message) ? true : undefined),
    { timeoutMs: 5_000 },
  );
}

/** Waits until `text` appears anywhere in what the executor wrote to stdout and stderr. */
export function waitForLogText(executor: ExecutorProcess, text: string): Promise<true> {
  return waitUntil(
    `"${text}" in the executor's output`,
    async () => (executor.logs().includes(text) ? true : undefined),
    { timeoutMs: 5_000 },
  );
}
