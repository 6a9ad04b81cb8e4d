import { ExportAbortError } from '../errors.js';

/**
 * The records of `records` until `signal` aborts, which ends the loop with EXPORT_ABORTED even
 * while the source waits for its next record: a stalled upload must not hold a task past its
 * deadline. The source is then told to return, without waiting for it.
 */
export async function* untilAborted<Item>(
  records: AsyncIterable<Item>,
  signal: AbortSignal,
): AsyncGenerator<Item> {
  if (signal.aborted) throw new ExportAbortError();
  const iterator = records[Symbol.asyncIterator]();
  // One listener for the whole loop, rejecting the wait now pending. Not a race against one
  // long-lived "aborted" promise: each race would leave it a reaction, a million for a million rows.
  let rejectWait: (error: unknown) => void = () => {};
  const onAbort = () => rejectWait(new ExportAbortError());
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      if (signal.aborted) throw new ExportAbortError();
      const pending = iterator.next();
      const next = await new Promise<IteratorResult<Item>>((resolve, reject) => {
        rejectWait = reject;
        pending.then(resolve, reject);
      });
      if (next.done) return;
      yield next.value;
    }
  } finally {
    rejectWait = () => {};
    signal.removeEventListener('abort', onAbort);
    if (signal.aborted) iterator.return?.()?.catch(() => {});
  }
}
