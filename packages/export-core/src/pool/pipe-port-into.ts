import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { MessagePort } from 'node:worker_threads';
import type { OutputMessage, OutputReply } from './port-writable.js';

/**
 * Writes what a worker's `portWritable` sends into `destination`, acknowledging each chunk once
 * the destination has taken it. Resolves when the worker ended its output and the destination
 * finished; an abandoned output (the export failed) is left for the caller to destroy.
 */
export function pipePortInto(
  port: MessagePort,
  destination: Writable,
): Promise<'finished' | 'abandoned'> {
  return new Promise((resolve) => {
    const reply = (message: OutputReply) => {
      try {
        port.postMessage(message);
      } catch {
        // The worker is gone: its task's own failure says why.
      }
    };
    const onDestinationError = (error: Error) => reply({ type: 'failed', message: error.message });
    destination.on('error', onDestinationError);
    const settle = (how: 'finished' | 'abandoned') => {
      port.off('message', onMessage);
      port.close();
      destination.off('error', onDestinationError);
      resolve(how);
    };
    function onMessage(message: OutputMessage): void {
      if (message.type === 'chunk') {
        const { chunk } = message;
        destination.write(
          Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength),
          (error) => {
            if (!error) reply({ type: 'written' });
          },
        );
        return;
      }
      if (message.type === 'abandon') {
        settle('abandoned');
        return;
      }
      destination.end();
      finished(destination).then(
        () => {
          reply({ type: 'finished' });
          settle('finished');
        },
        (error: unknown) => {
          reply({ type: 'failed', message: (error as Error)?.message ?? String(error) });
          settle('abandoned');
        },
      );
    }
    port.on('message', onMessage);
    // The worker died: nothing more will come.
    port.once('close', () => settle('abandoned'));
  });
}
