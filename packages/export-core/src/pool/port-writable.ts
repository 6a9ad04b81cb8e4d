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
 * chunks are in flight: each is acknowledged once the far destination has taken it (its write
 * callback), so a slow destination (a slow HTTP client) slows the export down, as in-process.
 */
export function portWritable(port: MessagePort, window: number): Writable {
  let inFlight = 0;
  let waitingForRoom: ((error?: Error) => void) | undefined;
  let waitingForFinish: ((error?: Error | null) => void) | undefined;
  let farFailure: Error | undefined;

  const writable = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (farFailure) {
        callback(farFailure);
        return;
      }
      // A copy the port may transfer: the chunk may share memory with other buffers.
      const copy = new Uint8Array(chunk.byteLength);
      copy.set(chunk);
      port.postMessage({ type: 'chunk', chunk: copy } satisfies OutputMessage, [copy.buffer]);
      inFlight += 1;
      if (inFlight < window) callback();
      else waitingForRoom = (error) => callback(error);
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
