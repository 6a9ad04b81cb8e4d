import { describe, expect, it } from 'vitest';
import { detachOnReturn } from './detach-on-return.js';

describe('detachOnReturn', () => {
  it('yields what its source yields', async () => {
    async function* three() {
      yield* [1, 2, 3];
    }
    const seen: number[] = [];
    for await (const item of detachOnReturn(three())) seen.push(item);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('returns at once while its source waits, and runs the source’s finally once it moves on', async () => {
    let release: () => void = () => {};
    let cleanedUp = false;
    async function* waiting() {
      try {
        yield 1;
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        yield 2;
      } finally {
        cleanedUp = true;
      }
    }
    const iterator = detachOnReturn(waiting())[Symbol.asyncIterator]();
    expect(await iterator.next()).toEqual({ done: false, value: 1 });
    const pending = iterator.next();
    expect(await iterator.return?.()).toEqual({ done: true, value: undefined });
    expect(cleanedUp).toBe(false);
    release();
    expect(await pending).toEqual({ done: false, value: 2 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(cleanedUp).toBe(true);
  });

  it('has no throw(), which a generator would also queue behind its pending next()', () => {
    async function* empty() {}
    expect(detachOnReturn(empty())[Symbol.asyncIterator]()).not.toHaveProperty('throw');
  });
});
