/** Whether the executor still takes new exports; SIGTERM turns it to draining, for good. */
export interface ExecutorLifecycle {
  readonly draining: boolean;
  startDraining(): void;
}

export function createLifecycle(): ExecutorLifecycle {
  let draining = false;
  return {
    get draining() {
      return draining;
    },
    startDraining() {
      draining = true;
    },
  };
}
