import type {
  LimiterKeyQueueFullErrorDetails,
  LimiterQueueFullErrorDetails,
} from '@org/export-limiter';
import { ClusterQueueFullError } from './cluster/cluster-queue-full-error.js';

/**
 * The executor's words for the limiter's refusals: the limiter bounds any work and names its
 * options; a client of the service is told of exports and of the setting that bounds them.
 * Undefined for any other error, which keeps its own message. Told by code, not class: a
 * library may carry its own copy of the limiter.
 */
export function refusalMessageOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (error instanceof ClusterQueueFullError) {
    const { queued, maxQueue, retryAfterSeconds } = error;
    return `the cluster's export queue is full (${queued} waiting across replicas, EXPORT_CLUSTER_MAX_QUEUE ${maxQueue}); retry in ${retryAfterSeconds} s`;
  }
  if (code === 'LIMITER_QUEUE_FULL') {
    const { queued, maxQueue, retryAfterSeconds } = error as LimiterQueueFullErrorDetails;
    return maxQueue === 0
      ? `every export slot is busy and exports may not wait (EXPORT_MAX_QUEUE 0); retry in ${retryAfterSeconds} s`
      : `the export queue is full (${queued} waiting, EXPORT_MAX_QUEUE ${maxQueue}); retry in ${retryAfterSeconds} s`;
  }
  if (code === 'LIMITER_KEY_QUEUE_FULL') {
    const { queuedForKey, maxQueuedPerKey, retryAfterSeconds } =
      error as LimiterKeyQueueFullErrorDetails;
    if (maxQueuedPerKey === 0) {
      return `every export slot you may use is busy and your exports may not wait (EXPORT_MAX_QUEUED_PER_USER 0); retry in ${retryAfterSeconds} s`;
    }
    const exports = queuedForKey === 1 ? '1 export' : `${queuedForKey} exports`;
    return `${exports} of yours already waiting, the most one user may (EXPORT_MAX_QUEUED_PER_USER ${maxQueuedPerKey}); retry in ${retryAfterSeconds} s`;
  }
  return undefined;
}
