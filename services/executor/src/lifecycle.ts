/** Whether the executor still takes new exports; SIGTERM turns it to draining, for good. */
export interface ExecutorLifecycle {
  readonly draining: boolean;
  startDraining(): void;
  /**
   * Adds work that `drain` waits for (the export plugin's limiter, with its grace period);
   * returns a function that removes it.
   */
  onDrain(step: () => Promise<void>): () => void;
  /**
   * Starts draining and resolves once every step has settled. Run it before `app.close()`:
   * closing stops listening and waits for in-flight responses, so waiting for exports there
   * would refuse connections meanwhile and never start their grace period.
   */
  drain(): Promise<void>;
  /**
   * Adds a check that /ready runs: an error means the executor cannot take work now (the
   * cluster's Redis is unreachable, say). Returns a function that removes it.
   */
  addReadinessCheck(check: () => Error | undefined): () => void;
  /** The first failing readiness check's error, or undefined when ready. */
  unreadiness(): Error | undefined;
  /**
   * Adds work the boot starts but does not wait for (recovering the stored jobs), so that the
   * server listens at once; a readiness check says when it is not done yet.
   */
  addStartupTask(task: Promise<void>): void;
  /** Resolves once every startup task added so far has settled (tests, embedders). */
  started(): Promise<void>;
}

export function createLifecycle(): ExecutorLifecycle {
  let draining = false;
  const steps = new Set<() => Promise<void>>();
  const checks = new Set<() => Error | undefined>();
  const startupTasks: Promise<void>[] = [];
  return {
    get draining() {
      return draining;
    },
    startDraining() {
      draining = true;
    },
    onDrain(step) {
      steps.add(step);
      return () => {
        steps.delete(step);
      };
    },
    async drain() {
      draining = true;
      await Promise.allSettled([...steps].map((step) => step()));
    },
    addReadinessCheck(check) {
      checks.add(check);
      return () => {
        checks.delete(check);
      };
    },
    addStartupTask(task) {
      startupTasks.push(task);
    },
    async started() {
      await Promise.allSettled(startupTasks);
    },
    unreadiness() {
      for (const check of checks) {
        const error = check();
        if (error) return error;
      }
      return undefined;
    },
  };
}
