interface Closable {
  close(): Promise<void>;
}

/**
 * What the export plugin has opened so far, filled in as it starts. Its onClose is registered
 * before the first of them opens, so a start that fails halfway closes just what it had opened.
 */
export interface OpenedResources {
  sweepTimer?: NodeJS.Timeout;
  /** The lifecycle's drain steps and readiness checks: removed first. */
  readonly lifecycleRemovals: Array<() => void>;
  /** Gives running exports the grace period, then aborts them. */
  closeLimiter?: () => Promise<void>;
  jobs?: Closable;
  /** Sends webhooks: closed once no job can end any more. */
  webhooks?: Closable;
  /** Only a pool the plugin created: a caller's pool is the caller's to close. */
  ownedPool?: Closable;
  cluster?: Closable;
  /** The S3 store's client: closed last, once nothing reads or writes. */
  artifacts?: Closable | undefined;
  unbindMetrics?: () => void;
}

export function openedResources(): OpenedResources {
  return { lifecycleRemovals: [] };
}

/** Closes in the order the parts depend on each other, skipping whatever never opened. */
export async function closeOpenedResources(opened: OpenedResources): Promise<void> {
  clearInterval(opened.sweepTimer);
  for (const remove of opened.lifecycleRemovals.splice(0)) remove();
  // Together: the job queue waits for its running jobs, which the limiter's grace period ends.
  await Promise.all([opened.closeLimiter?.(), opened.jobs?.close()]);
  await opened.webhooks?.close();
  // Only once nothing runs: closing waits for the exports still on a worker.
  await opened.ownedPool?.close();
  await opened.cluster?.close();
  await opened.artifacts?.close();
  opened.unbindMetrics?.();
}
