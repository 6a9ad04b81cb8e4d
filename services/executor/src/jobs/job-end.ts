import type { ExportOutcome } from '../exports/execute-export.js';

/** How a job's run ends, whichever backend ran it. */
export type JobEnd = 'done' | 'failed' | 'cancelled' | 'requeued';

export interface JobEndFacts {
  outcome: ExportOutcome;
  /** A DELETE asked for it: cancelled, whatever the run did meanwhile. */
  cancelRequested: boolean;
  /** The process stopped it (its signal aborted without a cancel): it runs again elsewhere or later. */
  stopped?: boolean;
}

export function jobEndOf({ outcome, cancelRequested, stopped = false }: JobEndFacts): JobEnd {
  if (cancelRequested) return 'cancelled';
  if ('result' in outcome) return 'done';
  return stopped || stoppedByShutdown(outcome.error) ? 'requeued' : 'failed';
}

// Aborted without a cancel, or refused while queued, because the limiter closed for shutdown.
function stoppedByShutdown(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'LIMITER_CLOSED' || code === 'EXPORT_ABORTED' || code === 'LIMITER_ABORTED';
}
