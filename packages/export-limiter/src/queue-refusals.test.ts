import { describe, expect, it } from 'vitest';
import { createQueueRefusals } from './queue-refusals.js';
import { createRetryAfterEstimate } from './retry-after.js';

function refusalsFor(waiting: { size: number; perKey?: number }, maxQueuedPerKey?: number) {
  return createQueueRefusals({
    waiting: {
      size: waiting.size,
      sizeOf: (key) => (key === undefined ? 0 : (waiting.perKey ?? 0)),
    },
    retryAfter: createRetryAfterEstimate({ maxConcurrent: 1 }),
    maxQueue: 2,
    maxQueuedPerKey,
  });
}

describe('createQueueRefusals', () => {
  it('refuses for the queue once maxQueue tasks wait, or more', () => {
    expect(refusalsFor({ size: 1 }).queueFull()).toBeUndefined();
    expect(refusalsFor({ size: 2 }).queueFull()).toMatchObject({ queued: 2, maxQueue: 2 });
    expect(refusalsFor({ size: 5 }).queueFull()).toMatchObject({ queued: 5, maxQueue: 2 });
  });

  it('refuses for a key once maxQueuedPerKey of its tasks wait, never for no key or no cap', () => {
    expect(refusalsFor({ size: 1, perKey: 1 }, 1).keyQueueFull('alice')).toMatchObject({
      queuedForKey: 1,
      maxQueuedPerKey: 1,
    });
    expect(refusalsFor({ size: 1, perKey: 0 }, 1).keyQueueFull('alice')).toBeUndefined();
    expect(refusalsFor({ size: 1, perKey: 1 }, 1).keyQueueFull(undefined)).toBeUndefined();
    expect(refusalsFor({ size: 1, perKey: 9 }).keyQueueFull('alice')).toBeUndefined();
  });
});
