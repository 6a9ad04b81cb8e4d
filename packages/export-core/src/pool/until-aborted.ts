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
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new ExportAbortError());
  });
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), aborted]);
      if (next.done) return;
      yield next.value;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (signal.aborted) iterator.return?.()?.catch(() => {});
  }
}
