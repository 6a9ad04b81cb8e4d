import { LimiterQueueFullError } from '@org/export-limiter';

/**
 * The cluster's queue (EXPORT_CLUSTER_MAX_QUEUE) is full: the limiter's refusal, code and fields
 * alike, told apart only so that the answer names the cluster's setting (refusal-messages.ts).
 */
export class ClusterQueueFullError extends LimiterQueueFullError {}
