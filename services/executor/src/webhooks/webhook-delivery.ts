/** What a job's end sends: one delivery per finished job, retried under the same id. */
export interface WebhookDelivery {
  /** The job it tells of; one delivery per job. */
  jobId: string;
  /** The idempotency id, the same on every attempt: a receiver acts on each id once. */
  id: string;
  url: string;
  /** `pending` until delivered, or given up (`failed`). */
  state: 'pending' | 'delivered' | 'failed';
  /** Attempts made so far. */
  attempts: number;
  /** When the next attempt is due (ms since the epoch); meaningless once not pending. */
  nextAttemptAt: number;
  /** Why the last attempt did not deliver, for the log and the next reader. */
  lastError: string | null;
  createdAt: string;
}

/** Where deliveries are kept: the job folders (embedded) or Redis (cluster). */
export interface WebhookStore {
  /** Keeps a new pending delivery, unless the job has one already (its end was recorded twice). */
  schedule(delivery: WebhookDelivery): Promise<void>;
  /**
   * Takes up to `limit` due deliveries, each held for `leaseMs`: no other process takes it
   * meanwhile, and if this one dies it is due again once the lease ends.
   */
  claimDue(nowMs: number, limit: number, leaseMs: number): Promise<WebhookDelivery[]>;
  /** Saves the delivery's new state: due again at `nextAttemptAt` while pending. */
  update(delivery: WebhookDelivery): Promise<void>;
  /** Forgets the job's delivery (the job was deleted). */
  remove(jobId: string): Promise<void>;
  /** Loads what an earlier process left pending; called once, before the first claim. */
  start?(): Promise<void>;
}
