import { createLimiter, type LimiterListener } from '@org/export-limiter';

const limiter = createLimiter();

const logSettled: LimiterListener<'settled'> = ({ key, outcome, waitMs, runMs, running, queued }) =>
  console.log({ key, outcome, waitMs, runMs, running, queued });
const unsubscribe = limiter.on('settled', logSettled);

await limiter.run(async () => 'done', { key: 'alice' });
// { key: 'alice', outcome: 'success', waitMs: 0.07, runMs: 0.1, running: 0, queued: 0 }

unsubscribe(); // or limiter.off('settled', logSettled)
await limiter.close();
