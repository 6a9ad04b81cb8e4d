import { Writable } from 'node:stream';
import type { MessagePort } from 'node:worker_threads';

/** What the writing thread sends over the port, and what the other side answers. */
export type OutputMessage =
  | { type: 'chunk'; chunk: Uint8Array }
  | { type: 'end' }
  | { type: 'abandon' };
export type OutputReply =
  | { type: 'written' }
  | { type: 'finished' }
  | { type: 'failed'; message: string };

/**
 * A Writable in a worker whose bytes land in a Writable on another thread. At most `window`
 * messages are in flight: each is acknowledged once the far destination has taken it (its write
 * callback), so a slow destination (a slow HTTP client) slows the export down, as in-process.
 * Writes made in one turn of the event loop go as one message: a PDF writer makes thousands of
 * writes of a hundred bytes, and a message each would cost more than the export.
 */
export function portWritable(port: MessagePort, window: number): Writable {
  let inFlight = 0;
  let waitingForRoom: ((error?: Error) => void) | undefined;
  let waitingForFinish: ((error?: Error | null) => void) | undefined;
  let farFailure: Error | undefined;

  const send = (chunks: readonly { chunk: Buffer }[], callback: (error?: Error) => void) => {
    if (farFailure) {
      callback(farFailure);
      return;
    }
    let total = 0;
    for (const { chunk } of chunks) total += chunk.byteLength;
    // A fresh copy the port may transfer: a chunk may share memory with other buffers.
    const copy = new Uint8Array(total);
    let offset = 0;
    for (const { chunk } of chunks) {
      copy.set(chunk, offset);
      offset += chunk.byteLength;
    }
    port.postMessage({ type: 'chunk', chunk: copy } satisfies OutputMessage, [copy.buffer]);
    inFlight += 1;
    // Answered a turn later, so that the writes of this turn gather for the next `writev`.
    if (inFlight < window) setImmediate(callback);
    else waitingForRoom = callback;
  };

  const writable = new Writable({
    writev: send,
    write(chunk: Buffer, _encoding, callback) {
      send([{ chunk }], callback);
    },
    final(callback) {
      if (farFailure) {
        callback(farFailure);
        return;
      }
      waitingForFinish = callback;
      port.postMessage({ type: 'end' } satisfies OutputMessage);
    },
    destroy(error, callback) {
      port.off('message', onReply);
      if (!writable.writableFinished) port.postMessage({ type: 'abandon' } satisfies OutputMessage);
      callback(error);
    },
  });

  function onReply(reply: OutputReply): void {
    if (reply.type === 'written') {
      inFlight -= 1;
      const resume = waitingForRoom;
      waitingForRoom = undefined;
      resume?.();
      return;
    }
    if (reply.type === 'finished') {
      const done = waitingForFinish;
      waitingForFinish = undefined;
      done?.();
      return;
    }
    farFailure = new Error(reply.message);
    const resume = waitingForRoom ?? waitingForFinish;
    waitingForRoom = undefined;
    waitingForFinish = undefined;
    if (resume) resume(farFailure);
    else writable.destroy(farFailure);
  }
  port.on('message', onReply);
  return writable;
}
