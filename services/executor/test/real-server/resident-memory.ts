import { readFileSync } from 'node:fs';

/** The resident set of a process, from /proc (Linux only). */
export function residentBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match?.[1]) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

export interface ResidentMemorySampler {
  /** The resident set when sampling began. */
  readonly idleBytes: number;
  /** The largest resident set seen so far, the first one included. */
  readonly peakBytes: number;
  readonly samples: number;
  stop(): void;
}

/** Samples the resident set of `pid` every `intervalMs` until stopped, keeping the peak. */
export function sampleResidentMemory(pid: number, intervalMs = 200): ResidentMemorySampler {
  const idleBytes = residentBytes(pid);
  let peakBytes = idleBytes;
  let samples = 0;
  const timer = setInterval(() => {
    try {
      peakBytes = Math.max(peakBytes, residentBytes(pid));
      samples += 1;
    } catch {
      // The process is gone: the test's own assertions say why.
    }
  }, intervalMs);
  return {
    idleBytes,
    get peakBytes() {
      return peakBytes;
    },
    get samples() {
      return samples;
    },
    stop: () => clearInterval(timer),
  };
}
