import { threadId } from 'node:worker_threads';

/** Answers, with the worker's thread id, once the worker has loaded its modules. */
export function workerLoadedTask(): number {
  return threadId;
}
