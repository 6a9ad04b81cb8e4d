import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, loadConfig } from '@org/executor';
import { formatLabelValues } from '@org/export-metrics';

const trades = [
  { id: 1, symbol: 'ACME', qty: 10, price: 12.5 },
  { id: 2, symbol: 'INIT', qty: -3, price: 99 },
];

/**
 * What the executor serves at /export/metrics after one CSV and one PDF export through
 * POST /export/run: the app is built as the server builds it (its own registry, default
 * process metrics), never listens, and is closed with its temporary export folder (closing
 * it also closes its Redis connections in cluster mode). `environment` adds to the variables
 * the config is loaded from: `clusterEnvironment()` turns on cluster mode.
 */
export async function scrapeExecutorAfterExports(
  environment: Record<string, string> = {},
): Promise<string> {
  const exportDirectory = await mkdtemp(join(tmpdir(), 'ops-checks-'));
  // A build that fails (an unreachable Redis) must not leave the folder behind either.
  const app = await build({
    config: loadConfig({ EXPORT_DIR: exportDirectory, ...environment }),
    logger: false,
  }).catch(async (error: unknown) => {
    await rm(exportDirectory, { recursive: true, force: true });
    throw error;
  });
  try {
    // Every format the metrics label: one export of each, so each has its series.
    for (const format of formatLabelValues.filter((label) => label !== 'other')) {
      const response = await app.inject({
        method: 'POST',
        url: '/export/run',
        payload: { format, data: trades, title: 'Trades' },
      });
      if (response.statusCode !== 200) {
        throw new Error(
          `POST /export/run (${format}) answered ${response.statusCode}: ${response.body}`,
        );
      }
    }
    const scrape = await app.inject({ method: 'GET', url: '/export/metrics' });
    if (scrape.statusCode !== 200) {
      throw new Error(`GET /export/metrics answered ${scrape.statusCode}: ${scrape.body}`);
    }
    return scrape.body;
  } finally {
    await app.close();
    await rm(exportDirectory, { recursive: true, force: true });
  }
}
