import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { MessagePort } from 'node:worker_threads';
import { destinationClosedMessage } from '../errors.js';
import type { OutputMessage, OutputReply } from './port-writable.js';

export interface PortPipe {
  /**
   * Settles when the worker ended its output and the destination finished; an abandoned output
   * (the export failed) is left for the caller to destroy.
   */
  readonly settled: Promise<'finished' | 'abandoned'>;
  /** Whether the destination closed, with no error of its own, before it finished: its reader left. */
  readonly closedEarly: () => boolean;
}

/**
 * Writes what a worker's `portWritable` sends into `destination`, acknowledging each chunk once
 * the destination has taken it. A destination that fails or closes early fails the worker's
 * output, so its export stops rather than wait for acknowledgements that never come.
 */
export function pipePortInto(port: MessagePort, destination: Writable): PortPipe {
  let failed = false;
  let closedEarly = false;
  const settled = new Promise<'finished' | 'abandoned'>((resolve) => {
    const reply = (message: OutputReply) => {
      try {
        port.postMessage(message);
      } catch {
        // The worker is gone: its task's own failure says why.
      }
    };
    const fail = (message: string) => {
      if (failed) return;
      failed = true;
      reply({ type: 'failed', message });
    };
    const onDestinationError = (error: Error) => fail(error.message);
    const onDestinationClose = () => {
      if (destination.writableFinished || failed) return;
      closedEarly = true;
      fail(destinationClosedMessage);
    };
    destination.on('error', onDestinationError);
    destination.on('close', onDestinationClose);
    const settle = (how: 'finished' | 'abandoned') => {
      port.off('message', onMessage);
      port.close();
      destination.off('error', onDestinationError);
      destination.off('close', onDestinationClose);
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
          fail((error as Error)?.message ?? String(error));
          settle('abandoned');
        },
      );
    }
    port.on('message', onMessage);
    // The worker died: nothing more will come.
    port.once('close', () => settle('abandoned'));
  });
  return { settled, closedEarly: () => closedEarly };
}
