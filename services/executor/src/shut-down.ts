import type { ExecutorApp } from './app.js';
import type { ExecutorLifecycle } from './lifecycle.js';

export interface ShutDownOptions {
  app: ExecutorApp;
  lifecycle: ExecutorLifecycle;
  /** The grace period running exports and arriving uploads get (EXPORT_SHUTDOWN_TIMEOUT_S). */
  timeoutSeconds: number;
}

// After the grace period: time for the 503s to cut uploads to go out before every connection closes.
const answersOutMs = 1_000;
// After the grace period: if closing still hangs (nothing a client does can make it), stop anyway.
const lastResortMs = 4_000;

/**
 * Drains, then closes, within the grace period plus a few seconds whatever clients do; resolves
 * with the exit code. Draining comes first and while still listening: `app.close()` stops
 * listening and waits for in-flight requests, so it comes once exports and uploads are done or
 * cut (lifecycle.ts).
 */
export async function shutDown({ app, lifecycle, timeoutSeconds }: ShutDownOptions) {
  const deadline = performance.now() + timeoutSeconds * 1000;
  let lastResortTimer: NodeJS.Timeout | undefined;
  const lastResort = new Promise<number>((resolve) => {
    lastResortTimer = setTimeout(
      () => {
        app.log.error({ timeoutSeconds }, 'executor did not stop in time; exiting anyway');
        resolve(1);
      },
      timeoutSeconds * 1000 + lastResortMs,
    );
  });
  try {
    return await Promise.race([drainAndClose(app, lifecycle, deadline), lastResort]);
  } finally {
    clearTimeout(lastResortTimer);
  }
}

async function drainAndClose(app: ExecutorApp, lifecycle: ExecutorLifecycle, deadline: number) {
  let closeAllTimer: NodeJS.Timeout | undefined;
  try {
    await lifecycle.drain();
    const closed = app.close();
    // A client that never reads its answer (a download, a 503) is not waited for past the deadline.
    closeAllTimer = setTimeout(
      () => {
        app.log.info('connections still open after the shutdown timeout closed');
        app.server.closeAllConnections();
      },
      Math.max(0, deadline - performance.now()) + answersOutMs,
    );
    await closed;
    app.log.info('executor stopped');
    return 0;
  } catch (error) {
    app.log.error({ err: error }, 'executor failed to stop cleanly');
    return 1;
  } finally {
    clearTimeout(closeAllTimer);
  }
}
