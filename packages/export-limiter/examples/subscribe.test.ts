import { expect, it, vi } from 'vitest';

it('runs the README example: one settled event, then no more once unsubscribed', async () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    await import('./subscribe.js');
    expect(log).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledWith({
      key: 'alice',
      outcome: 'success',
      waitMs: expect.any(Number),
      runMs: expect.any(Number),
      running: 0,
      queued: 0,
    });
  } finally {
    log.mockRestore();
  }
});
