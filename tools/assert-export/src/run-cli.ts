import { evaluateAssertions } from './assertions.js';
import { AssertExportError } from './errors.js';
import { formatJsonReport, formatTextReport } from './format-report.js';
import { parseArguments } from './parse-arguments.js';
import { type Exposition, parseExposition } from './parse-exposition.js';
import { scrapeMetrics } from './scrape.js';
import { usage } from './usage.js';

export interface CliOutput {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

export const exitCodes = Object.freeze({ passed: 0, failed: 1, error: 2 });

/**
 * The whole command, without touching `process`: resolves with the exit code. 0 when every
 * assertion passed, 1 when one failed, 2 when it could not judge (flags, scrape, exposition).
 */
export async function runCli(argv: readonly string[], output: CliOutput): Promise<number> {
  try {
    const parsed = parseArguments(argv);
    if (parsed.help) {
      output.stdout.write(usage());
      return exitCodes.passed;
    }
    const { options } = parsed;
    const text = await scrapeMetrics(options);
    const results = evaluateAssertions(parseScraped(text, options.metricsUrl), options.thresholds);
    const report = { metricsUrl: options.metricsUrl, results };
    output.stdout.write(options.json ? formatJsonReport(report) : formatTextReport(report));
    return results.every((result) => result.passed) ? exitCodes.passed : exitCodes.failed;
  } catch (error) {
    output.stderr.write(describeFailure(error));
    return exitCodes.error;
  }
}

/** What stderr says when the tool could not judge; a bug prints its stack. */
function describeFailure(error: unknown): string {
  if (!(error instanceof AssertExportError)) {
    return `assert-export: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`;
  }
  const hint =
    error.code === 'ASSERT_EXPORT_INVALID_ARGUMENT' ? 'Run with --help for usage.\n' : '';
  return `assert-export: ${error.message}\n${hint}`;
}

function parseScraped(text: string, metricsUrl: string): Exposition {
  try {
    return parseExposition(text);
  } catch (error) {
    if (!(error instanceof AssertExportError)) throw error;
    throw new AssertExportError(
      error.code,
      `${metricsUrl} did not answer with a Prometheus exposition: ${error.message}`,
      { cause: error },
    );
  }
}
