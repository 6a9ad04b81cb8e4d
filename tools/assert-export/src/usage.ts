import { exportFamilyNames, exportFormatLabels } from './export-families.js';
import { defaultArguments } from './parse-arguments.js';

/** What `--help` prints. */
export function usage(): string {
  const { url, timeoutMs, p95Seconds, minSuccess } = defaultArguments;
  return `Usage: pnpm assert-export [flags]
       node tools/assert-export/dist/cli.js [flags]

Scrapes <url>/export/metrics once and checks the export service against thresholds. Counters
and the duration histogram are totals since the service started: run it right after a load
run against a freshly started service.

Flags:
  --url <url>            the service's base URL (default ${url})
  --token <token>        send Authorization: Bearer <token> with the scrape
  --timeout-ms <ms>      give up on the scrape after this long (default ${timeoutMs})
  --p95-seconds <s>      the p95 export duration must be at most this (default ${p95Seconds})
  --min-success <ratio>  export_requests_total{outcome="success"} over all export requests
                         must be at least this, from 0 to 1 (default ${minSuccess}); failed,
                         cancelled and rejected requests all count against it
  --exclude-rejected     leave requests refused admission (outcome="rejected": 429 queue
                         full, or refused while shutting down) out of the success ratio, so
                         that load shedding is not counted as failure (default: counted)
  --format <list>        also hold each of these formats (comma-separated, from
                         ${exportFormatLabels.join(', ')}) to the p95, success ratio and bytes
                         thresholds on its own, over the samples with its format label;
                         a listed format with no exports fails (default: all together only)
  --json                 print one JSON object instead of lines
  -h, --help             print this help

Checks: all ${exportFamilyNames.length} export families present; p95 of export_duration_seconds
(as histogram_quantile(0.95, sum by (le) (export_duration_seconds_bucket)) computes it);
the success ratio; export_concurrent_running <= export_concurrent_limit;
export_queue_depth <= export_queue_capacity; export_bytes_total > 0. With no exports
observed, the p95, success ratio and bytes checks fail.

Exit codes: 0 every check passed; 1 a check failed; 2 bad flags, or the scrape failed or
returned something that is not a Prometheus exposition.
`;
}
