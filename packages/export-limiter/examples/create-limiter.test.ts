import { expect, it, vi } from 'vitest';

it('runs the README example: one task of alice, counted completed, then the limiter closed', async () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    await import('./create-limiter.js');
    expect(log).toHaveBeenCalledWith(1_000, {
      running: 0,
      queued: 0,
      maxConcurrent: 5,
      maxQueue: 100,
      maxPerKey: 2,
      maxQueuedPerKey: 5,
      completed: 1,
      failed: 0,
      rejected: 0,
    });
  } finally {
    log.mockRestore();
  }
});
