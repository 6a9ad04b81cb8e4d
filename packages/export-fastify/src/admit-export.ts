import type { ExportFormat, ExportResult } from '@org/export-core';
import type { Limiter } from '@org/export-limiter';
import type { ExportMetrics, observeExport } from '@org/export-metrics';

/** What every export of the plugin goes through, when it was given them. */
export interface Admission {
  readonly limiter: Pick<Limiter, 'run'> | undefined;
  readonly metrics:
    | { readonly families: ExportMetrics; readonly observe: typeof observeExport }
    | undefined;
}

export interface AdmittedExport {
  format: ExportFormat;
  /** The limiter key (the request's user, say). */
  key: string | undefined;
  /** The client's: aborts the export, queued or running. */
  signal: AbortSignal;
}

/**
 * Runs `body` through the limiter and the metrics, each if present: the limiter's refusal (a
 * full queue) rejects before `body` runs and counts as `rejected`; an abort counts as
 * `cancelled`. `body` gets a signal that aborts with the client's or with its slot's.
 */
export function admitExport(
  admission: Admission,
  { format, key, signal }: AdmittedExport,
  body: (signal: AbortSignal) => Promise<ExportResult>,
): Promise<ExportResult> {
  const { limiter, metrics } = admission;
  // A body that throws rather than rejects fails the same way.
  const run = async (runSignal: AbortSignal) => body(runSignal);
  const limited = (markStarted: () => void): Promise<ExportResult> => {
    if (!limiter) {
      markStarted();
      return run(signal);
    }
    return limiter.run(
      (slotSignal) => {
        markStarted();
        return run(AbortSignal.any([signal, slotSignal]));
      },
      key === undefined ? { signal } : { signal, key },
    );
  };
  return metrics ? metrics.observe(metrics.families, format, limited) : limited(() => {});
}
