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

/** A pino line of the executor's: its level (30 info, 40 warn, 50 error), message and fields. */
export interface LogEntry {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** Every pino line the executor wrote to stdout so far, parsed; other lines are skipped. */
export function logEntries(executor: ExecutorProcess): LogEntry[] {
  return executor
    .logs()
    .split('\n')
    .flatMap((line) => {
      try {
        const entry = JSON.parse(line) as Partial<LogEntry>;
        return typeof entry.level === 'number' && typeof entry.msg === 'string'
          ? [entry as LogEntry]
          : [];
      } catch {
        return [];
      }
    });
}
