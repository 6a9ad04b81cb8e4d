import { setTimeout as sleep } from 'node:timers/promises';
import { httpJson } from '../real-server/http-json.js';

interface StatusAnswer {
  running: number;
  queued: number;
  jobs: { queued: number; running: number };
}

export interface StatusPeaks {
  running: number;
  queued: number;
  jobsRunning: number;
  jobsQueued: number;
  samples: number;
  /** Polls that failed or did not answer 200. */
  failures: string[];
  /** The slowest /export/status answer, in milliseconds. */
  slowestMs: number;
}

export interface StatusSampler {
  /** Stops polling and resolves with the peaks once the poll in flight is done. */
  stop(): Promise<StatusPeaks>;
}

/**
 * Polls GET /export/status every `intervalMs` (one at a time, each on its own connection),
 * keeping the largest counts seen; at most `maxSamples` polls.
 */
export function sampleExportStatus(
  url: string,
  intervalMs = 50,
  maxSamples = 2_000,
): StatusSampler {
  const peaks: StatusPeaks = {
    running: 0,
    queued: 0,
    jobsRunning: 0,
    jobsQueued: 0,
    samples: 0,
    failures: [],
    slowestMs: 0,
  };
  let stopped = false;
  const polling = (async () => {
    while (!stopped && peaks.samples + peaks.failures.length < maxSamples) {
      const sentAt = performance.now();
      try {
        const answer = await httpJson(url, '/export/status', { timeoutMs: 30_000 });
        if (answer.status !== 200) throw new Error(`status ${answer.status}`);
        const status = answer.json as StatusAnswer;
        peaks.running = Math.max(peaks.running, status.running);
        peaks.queued = Math.max(peaks.queued, status.queued);
        peaks.jobsRunning = Math.max(peaks.jobsRunning, status.jobs.running);
        peaks.jobsQueued = Math.max(peaks.jobsQueued, status.jobs.queued);
        peaks.samples += 1;
      } catch (error) {
        peaks.failures.push(String(error));
      }
      peaks.slowestMs = Math.max(peaks.slowestMs, performance.now() - sentAt);
      await sleep(intervalMs);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await polling;
      return peaks;
    },
  };
}
