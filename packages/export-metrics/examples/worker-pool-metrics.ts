import { createExportPool } from '@org/export-core';
import { createWorkerPoolMetrics } from '@org/export-metrics';
import { Registry } from 'prom-client';

export const registry = new Registry();
export const pool = createExportPool({ size: 2 });

createWorkerPoolMetrics({
  registry,
  // Synchronous, from what the pool keeps in memory.
  read: () => {
    const { size, busy } = pool.stats();
    return { workers: size, busy };
  },
});
