import { afterEach, beforeEach, describe, expect, it, onTestFailed, vi } from 'vitest';
import type { Limiter } from './create-limiter.js';
import type { LimiterRejectionReason } from './limiter-events.js';
import { seededRandom } from './test-helpers/seeded-random.js';
import { drainMicrotasks, refusalCodes, StressRun } from './test-helpers/stress-run.js';

// 10,000 run calls with random keys, durations (0–3 ms), failures (sync throws, async
// rejections) and aborts (before the call, while waiting, while running), on fake timers
// advanced 1 ms at a time. Limits are checked inside every task, on every event and after every
// step; the books are balanced at the end. Set LIMITER_STRESS_SEED to replay a failing seed.
const limits = {
  maxConcurrent: 8,
  maxQueue: 200,
  maxPerKey: 3,
  maxQueuedPerKey: 8,
  queueTimeoutMs: 15,
};
const runCalls = 10_000;
const keys = Array.from({ length: 20 }, (_, index) => `user-${index}`);

function closeWithin(limiter: Limiter, timeoutMs: number) {
  const state = { closed: false };
  void limiter.close({ timeoutMs }).then(() => {
    state.closed = true;
  });
  return state;
}

describe('createLimiter under a random workload', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  // Seconds alone, but CI runs every package's tests at once on two cores: room to spare.
  it('keeps every limit, settles every run call once and accounts for each', {
    timeout: 60_000,
  }, async () => {
    const seed = Number(process.env.LIMITER_STRESS_SEED ?? Math.floor(Math.random() * 2 ** 32));
    onTestFailed(() => {
      console.error(`stress seed ${seed}: rerun with LIMITER_STRESS_SEED=${seed}`);
    });
    const random = seededRandom(seed);
    const run = new StressRun(limits, keys, random);

    // Waves near the limiter's throughput; every 40th is a burst larger than
    // maxConcurrent + maxQueue, so the queue overflows whatever the seed.
    for (let wave = 1; run.probes.length < runCalls; wave += 1) {
      const waveSize = wave % 40 === 0 ? random.int(220, 320) : random.int(0, 60);
      for (let index = 0; index < waveSize && run.probes.length < runCalls; index += 1) {
        run.submit();
      }
      run.checkStats('wave');
      for (let pause = random.int(1, 10); pause > 0; pause -= 1) await run.step();
    }

    // Close with work still queued and running, then knock on the closed door.
    const closing = closeWithin(run.limiter, 5);
    run.closing = true;
    for (let index = 0; index < 5; index += 1) run.submit();
    for (let steps = 0; !closing.closed; steps += 1) {
      if (steps > 1_000) throw new Error(`close did not resolve (seed ${seed})`);
      await run.step();
    }
    await drainMicrotasks();

    const { tally, refusedByCode } = run.account();

    expect(run.violations, `seed ${seed}`).toEqual([]);
    const stats = run.limiter.stats();
    expect(stats, `seed ${seed}`).toMatchObject({ running: 0, queued: 0, ...tally });
    expect(stats.completed + stats.failed + stats.rejected, `seed ${seed}`).toBe(run.probes.length);
    const ran = run.probes.filter((probe) => probe.calls === 1).length;
    expect(run.eventCounts, `seed ${seed}`).toEqual({
      started: ran,
      settled: ran,
      rejected: tally.rejected,
    });
    for (const [reason, code] of Object.entries(refusalCodes)) {
      const count = run.rejectedByReason.get(reason as LimiterRejectionReason) ?? 0;
      expect(refusedByCode.get(code) ?? 0, `seed ${seed}, ${reason}`).toBe(count);
      // The workload must reach every way of refusing, or it proves less than it claims.
      expect(count, `seed ${seed}: no ${reason} refusal happened`).toBeGreaterThan(0);
    }
    expect(
      run.probes.filter((probe) => probe.abortedWhileRunning).length,
      `seed ${seed}: no running task was aborted`,
    ).toBeGreaterThan(0);
  });
});
