/**
 * An async iterable over `source` whose iterator's `return()` resolves at once, and that has no
 * `throw()`. Node 22 and later, destroying a `Readable.from` stream (an abort, a failed
 * pipeline), wait for its iterator's `throw()` or `return()`; an async generator queues both
 * behind the `next()` it is suspended in, which never settles while its own source waits (an
 * upload whose client stopped sending). The export would then never stop. The source's own
 * `return()` still runs, once that `next()` settles, so its `finally` blocks run too.
 */
export function detachOnReturn<Item>(source: AsyncIterable<Item>): AsyncIterable<Item> {
  return {
    [Symbol.asyncIterator]() {
      const iterator = source[Symbol.asyncIterator]();
      return {
        next: () => iterator.next(),
        return: (value?: unknown) => {
          Promise.resolve(iterator.return?.()).catch(() => {});
          return Promise.resolve({ done: true as const, value: value as Item });
        },
      };
    },
  };
}
