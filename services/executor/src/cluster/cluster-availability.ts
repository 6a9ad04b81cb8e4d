import type { Redis } from 'ioredis';
import { ClusterUnavailableError } from '../errors.js';

export interface ClusterAvailability {
  /** Why the cluster cannot be used now (this replica's Redis connection is down), or undefined. */
  unavailability(): Error | undefined;
  /** Fails fast while Redis is unreachable; a Redis error mid-call is a 503 as well. */
  inCluster<Value>(work: () => Promise<Value>): Promise<Value>;
}

export function clusterAvailability(redis: Redis): ClusterAvailability {
  function unavailability(): Error | undefined {
    if (redis.status === 'ready') return undefined;
    return new ClusterUnavailableError(`this replica's connection is ${redis.status}`);
  }
  return {
    unavailability,
    async inCluster(work) {
      const unavailable = unavailability();
      if (unavailable) throw unavailable;
      try {
        return await work();
      } catch (error) {
        const down = unavailability();
        if (down) throw Object.assign(down, { cause: error });
        throw error;
      }
    },
  };
}
