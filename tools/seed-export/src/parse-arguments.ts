import { parseArgs } from 'node:util';
import { batchScenarios, type Scenario, scenarioName } from './scenarios.js';
import { type ExportFormat, type ExportMode, exportFormats, exportModes } from './send-export.js';

export class UsageError extends Error {
  readonly code = 'SEED_USAGE';
}

export interface SeedOptions {
  baseUrl: URL;
  token: string | undefined;
  scenarios: Scenario[];
  /** Requests in flight at once, per scenario. */
  concurrency: number;
  /** Requests each of those sends, one after the other. */
  repeat: number;
  timeoutMs: number;
  /** Print the summaries as JSON instead of the table. */
  json: boolean;
  help: boolean;
}

export const usage = `Usage: pnpm seed-export [options]

Sends generated trade records to the executor and checks what comes back.

  --records=N        rows in one export (default 1000)
  --format=csv|pdf|xlsx  format of that export (default csv)
  --batch            run the batch instead: 1k, 5k, 10k, 100k csv, 1k, 5k, 50k pdf and 1k, 10k, 100k xlsx
  --mode=M[,M...]    API: run, stream or jobs, or several, comma-separated (default stream);
                     jobs creates the job, polls it, downloads the file and checks its sha256
  --concurrency=N    requests in flight at once, per scenario (default 1)
  --repeat=N         requests each of them sends in turn (default 1)
  --url=URL          the executor (default http://127.0.0.1:4001)
  --token=TOKEN      bearer token, when EXPORT_API_TOKENS is set (or env SEED_EXPORT_TOKEN)
  --timeout-s=N      seconds one export may take, jobs included (default 600)
  --json             print the summaries as JSON on stdout instead of the table
  --help             this text

Exit code 0 when every export succeeded or was refused with 429; 1 when any failed; 2 on bad
options.`;

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new UsageError(
      `--${name} must be a whole number of at least 1, got ${JSON.stringify(value)}`,
    );
  }
  return Number(value);
}

export function parseArguments(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): SeedOptions {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const modes = (values.mode ?? 'stream').split(',').map((mode) => mode.trim());
  for (const mode of modes) {
    if (!(exportModes as readonly string[]).includes(mode)) {
      throw new UsageError(`--mode must be run, stream or jobs, got ${JSON.stringify(mode)}`);
    }
  }
  const format = (values.format ?? 'csv') as ExportFormat;
  if (!exportFormats.includes(format)) {
    throw new UsageError(`--format must be csv, pdf or xlsx, got ${JSON.stringify(format)}`);
  }
  if (values.batch && (values.records !== undefined || values.format !== undefined)) {
    throw new UsageError(
      '--batch runs its own sizes and formats: leave out --records and --format',
    );
  }
  const rows = positiveInteger('records', values.records, 1000);
  let baseUrl: URL;
  try {
    baseUrl = new URL(values.url ?? 'http://127.0.0.1:4001');
  } catch {
    throw new UsageError(
      `--url must be a URL such as http://127.0.0.1:4001, got ${JSON.stringify(values.url)}`,
    );
  }
  if (baseUrl.protocol !== 'http:') {
    throw new UsageError(`--url must be an http:// URL, got ${JSON.stringify(values.url)}`);
  }
  return {
    baseUrl,
    token: values.token ?? (env.SEED_EXPORT_TOKEN || undefined),
    scenarios: values.batch
      ? batchScenarios(modes as ExportMode[])
      : (modes as ExportMode[]).map((mode) => ({
          name: scenarioName(format, rows, mode),
          mode,
          format,
          rows,
        })),
    concurrency: positiveInteger('concurrency', values.concurrency, 1),
    repeat: positiveInteger('repeat', values.repeat, 1),
    timeoutMs: positiveInteger('timeout-s', values['timeout-s'], 600) * 1000,
    json: values.json ?? false,
    help: values.help ?? false,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      records: { type: 'string' },
      format: { type: 'string' },
      batch: { type: 'boolean' },
      mode: { type: 'string' },
      concurrency: { type: 'string' },
      repeat: { type: 'string' },
      url: { type: 'string' },
      token: { type: 'string' },
      'timeout-s': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
}
