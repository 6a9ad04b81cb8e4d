import { setTimeout as sleep } from 'node:timers/promises';
import { httpJson } from './http-json.js';

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
}

/**
 * Polls `check` until it returns something other than undefined, at most every `intervalMs`
 * and for at most `timeoutMs`; then fails with `description` and the last value seen.
 */
export async function waitUntil<Value>(
  description: string,
  check: () => Promise<Value | undefined>,
  { timeoutMs, intervalMs = 50 }: WaitOptions,
): Promise<Value> {
  const deadline = Date.now() + timeoutMs;
  const maxAttempts = Math.ceil(timeoutMs / intervalMs) + 1;
  let lastError: unknown;
  for (let attempt = 0; attempt < maxAttempts && Date.now() <= deadline; attempt += 1) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`, {
    cause: lastError,
  });
}

export interface ExportStatus {
  status: 'ready' | 'draining';
  running: number;
  queued: number;
}

/** GET /export/status. */
export async function exportStatus(
  url: string,
  headers: Record<string, string> = {},
): Promise<ExportStatus> {
  const answer = await httpJson(url, '/export/status', { headers });
  if (answer.status !== 200) throw new Error(`/export/status answered ${answer.status}`);
  return answer.json as ExportStatus;
}

/** Waits until the limiter reports nothing running and nothing queued. */
export async function waitUntilIdle(url: string, timeoutMs = 5_000): Promise<ExportStatus> {
  return waitUntil(
    'running 0 and queued 0 on /export/status',
    async () => {
      const status = await exportStatus(url);
      return status.running === 0 && status.queued === 0 ? status : undefined;
    },
    { timeoutMs },
  );
}

/** Waits until the limiter reports `count` exports running. */
export async function waitUntilRunning(url: string, count: number, timeoutMs = 5_000) {
  return waitUntil(
    `running ${count} on /export/status`,
    async () => {
      const status = await exportStatus(url);
      return status.running === count ? status : undefined;
    },
    { timeoutMs },
  );
}
