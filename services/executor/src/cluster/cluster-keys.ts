/**
 * The Redis keys of one cluster queue. BullMQ's own (its wait list and prioritized set, a job's
 * hash) come from the BullMQ queue, so they follow its prefix; the executor's sit beside them
 * under `<prefix>:<queue>:export:`, where no BullMQ job id (a UUID here) can collide.
 */
export interface ClusterKeys {
  /** BullMQ's list of jobs waiting for a worker. */
  wait: string;
  /** BullMQ's jobs waiting by priority (unused by the executor, counted all the same). */
  prioritized: string;
  /** BullMQ's list of jobs a worker has taken. */
  active: string;
  /** BullMQ's hash of one job: its data and `progress`. */
  bullJob(id: string): string;
  /** Holders of a running export's slot, scored by lease expiry (ms). */
  slots: string;
  /** The slots that jobs hold (a subset of `slots`), scored alike. */
  jobSlots: string;
  /** Exports waiting for a slot, scored by arrival: the order they get one in. */
  tickets: string;
  /** Counts arrivals, numbering the tickets. */
  arrivals: string;
  /** The same tickets, scored by lease expiry (ms), so a dead waiter's ticket lapses. */
  ticketExpiry: string;
  /** The tickets that requests (/export/run, /export/stream) hold, scored by lease expiry. */
  requestTickets: string;
  /** Jobs admitted but not yet in BullMQ's wait list, scored by expiry (ms). */
  admissions: string;
  /** The latest export durations (ms), newest first, for Retry-After. */
  durations: string;
  /** Every job id, scored by creation time (ms): the list's index. */
  records: string;
  /** Finished job ids, scored by finish time (ms): what retention sweeps. */
  finished: string;
  /** The ids of the jobs one user keeps (their quota), scored by creation time (ms). */
  keptBy(user: string): string;
  /** A job's record, as JSON. */
  record(id: string): string;
  /** Set when a job is to be cancelled, so a replica about to start it stops instead. */
  cancel(id: string): string;
  /** Pub/sub channel carrying the ids of jobs to cancel to every replica. */
  cancelChannel: string;
  /** A job's completion webhook delivery, as JSON. */
  webhook(id: string): string;
  /** Pending webhook deliveries by job id, scored by when they are next due (ms). */
  webhooksDue: string;
}

export interface BullQueueKeys {
  /** BullMQ names its keys `<prefix>:<queue>:<type>`: `wait`, `prioritized`, a job's id. */
  toKey(type: string): string;
}

export function clusterKeysOf(queue: BullQueueKeys): ClusterKeys {
  const own = (name: string) => queue.toKey(`export:${name}`);
  return {
    wait: queue.toKey('wait'),
    prioritized: queue.toKey('prioritized'),
    active: queue.toKey('active'),
    bullJob: (id) => queue.toKey(id),
    slots: own('slots'),
    jobSlots: own('job-slots'),
    tickets: own('tickets'),
    arrivals: own('arrivals'),
    requestTickets: own('request-tickets'),
    ticketExpiry: own('ticket-expiry'),
    admissions: own('admissions'),
    durations: own('durations'),
    records: own('records'),
    finished: own('finished'),
    // Users come from tokens, or from the body when auth is off: encoded, so any text is one key.
    keptBy: (user) => own(`kept-by:${encodeURIComponent(user)}`),
    record: (id) => own(`record:${id}`),
    cancel: (id) => own(`cancel:${id}`),
    cancelChannel: own('cancel'),
    webhook: (id) => own(`webhook:${id}`),
    webhooksDue: own('webhooks-due'),
  };
}
