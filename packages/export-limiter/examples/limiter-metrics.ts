import { createLimiter } from '@org/export-limiter';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

// prom-client lives in the service, not in the limiter: the limiter only emits events.
export const registry = new Registry();
const queueWaitSeconds = new Histogram({
  name: 'app_export_queue_wait_seconds',
  help: 'Time an export waited for a slot',
  registers: [registry],
});
const runSeconds = new Histogram({
  name: 'app_export_run_seconds',
  help: 'Time an export held its slot',
  labelNames: ['outcome'],
  registers: [registry],
});
const rejectedTotal = new Counter({
  name: 'app_export_rejected_total',
  help: 'Exports refused before they ran',
  labelNames: ['reason'],
  registers: [registry],
});
const runningGauge = new Gauge({
  name: 'app_export_running',
  help: 'Exports running now',
  registers: [registry],
});
const queuedGauge = new Gauge({
  name: 'app_export_queued',
  help: 'Exports waiting for a slot',
  registers: [registry],
});

export const limiter = createLimiter({ maxConcurrent: 2, maxQueue: 10 });

limiter.on('started', ({ waitMs }) => queueWaitSeconds.observe(waitMs / 1000));
limiter.on('settled', ({ outcome, runMs }) => runSeconds.observe({ outcome }, runMs / 1000));
limiter.on('rejected', ({ reason }) => rejectedTotal.inc({ reason }));
for (const name of ['queued', 'started', 'settled', 'rejected'] as const) {
  limiter.on(name, ({ running, queued }) => {
    runningGauge.set(running);
    queuedGauge.set(queued);
  });
}
