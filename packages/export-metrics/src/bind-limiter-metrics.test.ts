import { EventEmitter } from 'node:events';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bindLimiterMetrics } from './bind-limiter-metrics.js';
import { createExportMetrics } from './create-export-metrics.js';

class FakeLimiter extends EventEmitter {
  running = 0;
  queued = 0;
  stats() {
    return { running: this.running, queued: this.queued };
  }
  set(event: 'queued' | 'started' | 'settled' | 'rejected', running: number, queued: number) {
    this.running = running;
    this.queued = queued;
    this.emit(event);
  }
}

function gauge(text: string, name: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return Number(line?.split(' ')[1]);
}

afterEach(() => {
  vi.useRealTimers();
});

describe('bindLimiterMetrics', () => {
  it('keeps the running and queue gauges equal to the limiter counts', async () => {
    const registry = new Registry();
    const metrics = createExportMetrics({ registry });
    const limiter = new FakeLimiter();
    const unbind = bindLimiterMetrics(metrics, limiter, { residentMemory: () => 1 });
    limiter.set('started', 1, 0);
    limiter.set('queued', 1, 1);
    limiter.set('queued', 1, 2);
    let text = await registry.metrics();
    expect(gauge(text, 'export_concurrent_running')).toBe(1);
    expect(gauge(text, 'export_queue_depth')).toBe(2);
    limiter.set('settled', 1, 1);
    limiter.set('settled', 0, 0);
    text = await registry.metrics();
    expect(gauge(text, 'export_concurrent_running')).toBe(0);
    expect(gauge(text, 'export_queue_depth')).toBe(0);
    unbind();
  });

  it('samples resident memory while exports run, and stops when none runs', () => {
    vi.useFakeTimers();
    const metrics = createExportMetrics({ registry: new Registry() });
    const limiter = new FakeLimiter();
    let rss = 100;
    const residentMemory = vi.fn(() => rss);
    const unbind = bindLimiterMetrics(metrics, limiter, {
      memorySampleIntervalMs: 1_000,
      residentMemory,
    });
    expect(residentMemory).not.toHaveBeenCalled();
    limiter.set('started', 1, 0);
    expect(residentMemory).toHaveBeenCalledTimes(1);
    rss = 250;
    vi.advanceTimersByTime(3_000);
    expect(residentMemory).toHaveBeenCalledTimes(4);
    limiter.set('settled', 0, 0);
    vi.advanceTimersByTime(10_000);
    expect(residentMemory).toHaveBeenCalledTimes(4);
    unbind();
  });

  it('stops listening once unbound', async () => {
    const registry = new Registry();
    const metrics = createExportMetrics({ registry });
    const limiter = new FakeLimiter();
    const unbind = bindLimiterMetrics(metrics, limiter);
    unbind();
    limiter.set('queued', 0, 5);
    expect(gauge(await registry.metrics(), 'export_queue_depth')).toBe(0);
    expect(limiter.listenerCount('queued')).toBe(0);
  });
});
