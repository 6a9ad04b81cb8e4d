import { expect, it, vi } from 'vitest';

it('runs the README example: 11 s for 40 waiting over 8 slots of 2 s each', async () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    const { retryAfterSeconds } = await import('./estimate-retry-after.js');
    expect(retryAfterSeconds).toBe(11);
    expect(log).toHaveBeenCalledWith(11);
  } finally {
    log.mockRestore();
  }
});
