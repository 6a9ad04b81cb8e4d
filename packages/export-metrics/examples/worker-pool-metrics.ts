import { createExportPool } from '@org/export-core';
import { createWorkerPoolMetrics } from '@org/export-metrics';
import { Registry } from 'prom-client';

const registry = new Registry();
const pool = createExportPool({ size: 2 });

createWorkerPoolMetrics({
  registry,
  // Synchronous, from what the pool keeps in memory.
  read: () => {
    const { size, busy } = pool.stats();
    return { workers: size, busy };
  },
});

console.log(await registry.metrics()); // export_workers 2, export_workers_busy 0
await pool.close(); // at shutdown
