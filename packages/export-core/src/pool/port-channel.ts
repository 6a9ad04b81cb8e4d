import type { MessagePort, TransferListItem } from 'node:worker_threads';

/**
 * Items (byte chunks, record batches) sent from one thread to another over a MessagePort,
 * pulled by the receiver: it asks for `window` items ahead and one more for each it takes, so
 * the sender never reads its source faster than the receiver consumes it.
 */
export type ChannelMessage<Item> =
  | { type: 'item'; item: Item }
  | { type: 'end' }
  | { type: 'error'; message: string };

export type ChannelRequest = { type: 'pull' } | { type: 'cancel' };

export interface ChannelSender {
  /** Settles once the source is done, failed, or the receiver cancelled. */
  readonly done: Promise<void>;
  /** The source's own error, when it failed (the receiver was told its message). */
  readonly failure: () => unknown;
  /** Stops reading the source; the receiver is not told. */
  stop(): void;
}

/** Encodes an item for postMessage: the value, and what to transfer instead of copying. */
export type ItemEncoder<Source, Item> = (item: Source) => {
  item: Item;
  transfer?: TransferListItem[];
};

export function sendThroughPort<Source, Item>(
  port: MessagePort,
  source: AsyncIterable<Source> | Iterable<Source>,
  encode: ItemEncoder<Source, Item>,
): ChannelSender {
  const iterator =
    Symbol.asyncIterator in source
      ? (source as AsyncIterable<Source>)[Symbol.asyncIterator]()
      : (source as Iterable<Source>)[Symbol.iterator]();
  let requested = 0;
  let reading = false;
  let finished = false;
  let failure: unknown;
  let resolveDone: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });

  const finish = () => {
    if (finished) return;
    finished = true;
    port.off('message', onRequest);
    port.close();
    resolveDone();
  };
  const stop = () => {
    if (finished) return;
    // Tells a generator source to run its `finally` (close a file, leave an upload unread).
    void Promise.resolve(iterator.return?.()).catch(() => {});
    finish();
  };

  async function readRequested(): Promise<void> {
    reading = true;
    try {
      while (requested > 0 && !finished) {
        const next = await iterator.next();
        if (finished) return;
        if (next.done) {
          port.postMessage({ type: 'end' } satisfies ChannelMessage<Item>);
          finish();
          return;
        }
        requested -= 1;
        const { item, transfer } = encode(next.value);
        port.postMessage({ type: 'item', item } satisfies ChannelMessage<Item>, transfer ?? []);
      }
    } catch (error) {
      failure = error;
      if (!finished) {
        port.postMessage({
          type: 'error',
          message: (error as Error)?.message ?? String(error),
        } satisfies ChannelMessage<Item>);
      }
      finish();
    } finally {
      reading = false;
    }
  }

  function onRequest(request: ChannelRequest): void {
    if (request.type === 'cancel') {
      stop();
      return;
    }
    requested += 1;
    if (!reading) void readRequested();
  }
  port.on('message', onRequest);
  port.once('close', stop);
  return { done, failure: () => failure, stop };
}

/** The items a `sendThroughPort` on the other side sends, `window` of them asked for ahead. */
export async function* receiveFromPort<Item>(
  port: MessagePort,
  window: number,
): AsyncGenerator<Item, void, undefined> {
  const arrived: ChannelMessage<Item>[] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  const onMessage = (message: ChannelMessage<Item>) => {
    arrived.push(message);
    wake?.();
  };
  const onClose = () => {
    closed = true;
    wake?.();
  };
  port.on('message', onMessage);
  port.once('close', onClose);
  let ended = false;
  try {
    for (let ahead = 0; ahead < window; ahead += 1) port.postMessage({ type: 'pull' });
    while (true) {
      const message = arrived.shift();
      if (message === undefined) {
        if (closed) throw new Error('the sending side closed before the end of the data');
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
        continue;
      }
      if (message.type === 'end') {
        ended = true;
        return;
      }
      if (message.type === 'error') {
        ended = true;
        throw new SourceChannelError(message.message);
      }
      port.postMessage({ type: 'pull' });
      yield message.item;
    }
  } finally {
    if (!ended && !closed) port.postMessage({ type: 'cancel' });
    port.off('message', onMessage);
    port.close();
  }
}

/** The sending side's source failed; its own error stays on that side. */
export class SourceChannelError extends Error {
  override readonly name = 'SourceChannelError';
}
