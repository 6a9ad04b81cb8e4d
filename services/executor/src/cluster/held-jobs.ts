/** A job this replica's worker holds, until BullMQ has moved it out of its active list. */
export interface HeldJob {
  promise: Promise<void>;
  settle: () => void;
}

/**
 * The jobs this replica's worker holds, by id: each one's cluster slot stays held until BullMQ
 * says it moved on (its `completed` or `failed` event), so a job never counts as neither
 * running nor done.
 */
export interface HeldJobs {
  /** The job's hold, made on first ask. */
  leftActive(id: string): HeldJob;
  /** Settles the hold of a job BullMQ moved on, if this replica held it. */
  settle(id: string): void;
}

export function createHeldJobs(): HeldJobs {
  const held = new Map<string, HeldJob>();
  return {
    leftActive(id) {
      const existing = held.get(id);
      if (existing) return existing;
      let resolve = () => {};
      const promise = new Promise<void>((settle) => {
        resolve = settle;
      });
      const entry: HeldJob = {
        promise,
        settle: () => {
          resolve();
          if (held.get(id) === entry) held.delete(id);
        },
      };
      held.set(id, entry);
      return entry;
    },
    settle(id) {
      held.get(id)?.settle();
    },
  };
}
