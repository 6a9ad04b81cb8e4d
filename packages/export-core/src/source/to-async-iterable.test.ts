import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { toAsyncIterable } from './to-async-iterable.js';

async function collect(iterable: AsyncIterable<unknown>) {
  const items: unknown[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('toAsyncIterable', () => {
  it('reads an array', async () => {
    expect(await collect(toAsyncIterable([{ a: 1 }, { a: 2 }]))).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('reads a generator', async () => {
    function* records() {
      yield { a: 1 };
    }
    expect(await collect(toAsyncIterable(records()))).toEqual([{ a: 1 }]);
  });

  it('reads an async generator', async () => {
    async function* records() {
      yield [1, 2];
    }
    expect(await collect(toAsyncIterable(records()))).toEqual([[1, 2]]);
  });

  it('reads an object-mode Readable', async () => {
    expect(await collect(toAsyncIterable(Readable.from([{ a: 1 }])))).toEqual([{ a: 1 }]);
  });

  it.each([
    ['a string', 'id,name'],
    ['null', null],
    ['a number', 3],
    ['a plain object', { a: 1 }],
  ])('refuses %s with EXPORT_INVALID_OPTION', (_name, source) => {
    expect(() => toAsyncIterable(source)).toThrowError(
      expect.objectContaining({ code: 'EXPORT_INVALID_OPTION' }),
    );
  });
});
