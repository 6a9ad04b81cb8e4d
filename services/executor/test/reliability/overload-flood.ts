import { Agent } from 'node:http';
import { type ExportCall, postExport, refusalProblem } from './overload-client.js';

export interface FloodOptions {
  /** How long to keep sending, in milliseconds. */
  windowMs: number;
  /** Requests in flight at once, each on a kept-alive connection. */
  inFlight: number;
  /** A bound on the requests sent, whatever the window. */
  maxRequests: number;
  /** The requests, sent in turn. */
  calls: readonly ExportCall[];
}

export interface FloodTally {
  sent: number;
  refused: number;
  /** Answers that were not a well-formed 429, and errors, the first 20. */
  problems: string[];
  problemCount: number;
  /** 429s answered in each whole second of the window. */
  refusedPerSecond: number[];
  elapsedMs: number;
  /** Milliseconds from request to status line: median and 99th percentile. */
  answeredMedianMs: number;
  answered99Ms: number;
}

/**
 * Sends `calls` in turn from `inFlight` concurrent clients as fast as they are answered, for
 * `windowMs`, and counts what comes back.
 */
export async function floodExports(url: string, options: FloodOptions): Promise<FloodTally> {
  const { windowMs, inFlight, maxRequests, calls } = options;
  const agent = new Agent({ keepAlive: true, maxSockets: inFlight });
  const startedAt = performance.now();
  const deadline = startedAt + windowMs;
  const refusedPerSecond = Array.from({ length: Math.ceil(windowMs / 1000) }, () => 0);
  const answeredMs: number[] = [];
  const problems: string[] = [];
  let problemCount = 0;
  let sent = 0;
  let refused = 0;
  const note = (problem: string) => {
    problemCount += 1;
    if (problems.length < 20) problems.push(problem);
  };
  const client = async () => {
    while (performance.now() < deadline && sent < maxRequests) {
      const call = calls[sent % calls.length];
      if (!call) throw new Error('no calls to flood with');
      sent += 1;
      try {
        const answer = await postExport(url, call, { agent, timeoutMs: 30_000 });
        answeredMs.push(answer.answeredMs);
        const problem = answer.status === 429 ? refusalProblem(answer) : `status ${answer.status}`;
        if (problem) {
          note(`${call.api} ${call.format}: ${problem}`);
          continue;
        }
        refused += 1;
        const second = Math.floor((performance.now() - startedAt) / 1000);
        if (second < refusedPerSecond.length)
          refusedPerSecond[second] = (refusedPerSecond[second] ?? 0) + 1;
      } catch (error) {
        note(`${call.api} ${call.format}: ${String(error)}`);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: inFlight }, client));
  } finally {
    agent.destroy();
  }
  answeredMs.sort((a, b) => a - b);
  const percentile = (fraction: number) =>
    answeredMs[Math.min(answeredMs.length - 1, Math.floor(answeredMs.length * fraction))] ?? 0;
  return {
    sent,
    refused,
    problems,
    problemCount,
    refusedPerSecond,
    elapsedMs: performance.now() - startedAt,
    answeredMedianMs: percentile(0.5),
    answered99Ms: percentile(0.99),
  };
}
