import { readFileSync } from 'node:fs';
import { type RedisServer, startRedisServer } from '@org/test-redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterEnvironment } from '../src/cluster-environment.js';
import { dashboardExpressions, readDashboard } from '../src/dashboard.js';
import { exposedFamilies, exposedSeriesNames } from '../src/exposition.js';
import { markdownAnchors } from '../src/markdown-anchors.js';
import { metricReferences, upSelectors } from '../src/metric-references.js';
import { opsPaths, scrapeJob } from '../src/ops-files.js';
import { readRulesFile, recordingRules } from '../src/rules-file.js';
import { scrapeExecutorAfterExports } from '../src/scrape-executor.js';
import { webhookEnvironment } from '../src/webhook-environment.js';

const rules = readRulesFile(opsPaths.rules);
const recorded = recordingRules(rules);
const recordedNames = new Set(recorded.map((rule) => rule.record));
// Recording rules read through their own expressions; alerts and the dashboard may use either.
const ruleExpressions = rules.groups.flatMap((group) => group.rules.map((rule) => rule.expr));
const dashboardQueries = dashboardExpressions(readDashboard(opsPaths.dashboard));

let redis: RedisServer | undefined;
let exposition: string;
let clusterExposition: string;
// The service exposes some families only as a replica of a cluster (REDIS_URL set) or with
// webhooks on: the rules and the dashboard may use what either mode exposes.
let exposed: Set<string>;
let families: Map<string, string>;

beforeAll(async () => {
  redis = await startRedisServer();
  exposition = await scrapeExecutorAfterExports();
  clusterExposition = await scrapeExecutorAfterExports({
    ...clusterEnvironment(redis.url),
    ...webhookEnvironment(),
  });
  exposed = new Set([...exposedSeriesNames(exposition), ...exposedSeriesNames(clusterExposition)]);
  families = new Map([...exposedFamilies(exposition), ...exposedFamilies(clusterExposition)]);
}, 60_000);

afterAll(async () => {
  await redis?.stop();
});

function missingFromScrape(expressions: string[]): string[] {
  const used = new Set(expressions.flatMap((query) => metricReferences(query).exportMetrics));
  return [...used].filter((name) => !exposed.has(name)).sort();
}

describe('the scrape of /export/metrics after a CSV and a PDF export', () => {
  it('has samples of the export counters and histograms', () => {
    expect(exposition).toMatch(/^export_requests_total\{format="csv",outcome="success"\} 1$/m);
    expect(exposition).toMatch(/^export_requests_total\{format="pdf",outcome="success"\} 1$/m);
    expect(exposition).toMatch(/^export_requests_total\{format="xlsx",outcome="success"\} 1$/m);
    expect(exposition).toMatch(/^export_duration_seconds_bucket\{le="\+Inf",format="pdf"\} 1$/m);
  });
});

describe('the scrape of /export/metrics of a replica of a cluster after a CSV and a PDF export', () => {
  // Samples, not only `# TYPE` lines: a failed read of Redis serves the families without any.
  it('has samples of the cluster gauges, read from Redis without a failure', () => {
    expect(clusterExposition).toMatch(/^export_cluster_concurrent_limit \d+$/m);
    expect(clusterExposition).toMatch(/^export_cluster_queue_capacity \d+$/m);
    expect(clusterExposition).toMatch(/^export_cluster_queue_depth \d+$/m);
    expect(clusterExposition).toMatch(/^export_cluster_running \d+$/m);
    expect(clusterExposition).toMatch(/^export_cluster_read_failures_total 0$/m);
  });

  it('has samples of the export counters', () => {
    expect(clusterExposition).toMatch(
      /^export_requests_total\{format="csv",outcome="success"\} 1$/m,
    );
    expect(clusterExposition).toMatch(
      /^export_requests_total\{format="pdf",outcome="success"\} 1$/m,
    );
  });
});

describe('the metric names of the rules', () => {
  it('are all exposed by the service', () => {
    expect(ruleExpressions.length).toBeGreaterThan(0);
    expect(missingFromScrape(ruleExpressions)).toEqual([]);
  });

  it('use only recording rules that the rules file defines', () => {
    const used = ruleExpressions.flatMap((query) => metricReferences(query).recordingRules);
    expect(used.filter((name) => !recordedNames.has(name))).toEqual([]);
  });
});

describe('the metric names of the dashboard', () => {
  it('are all exposed by the service', () => {
    expect(dashboardQueries.length).toBeGreaterThan(0);
    expect(missingFromScrape(dashboardQueries)).toEqual([]);
  });

  it('use only recording rules that the rules file defines', () => {
    const used = dashboardQueries.flatMap((query) => metricReferences(query).recordingRules);
    expect(used.filter((name) => !recordedNames.has(name))).toEqual([]);
  });

  it('cover every export family the service exposes', () => {
    const used = new Set(
      dashboardQueries.flatMap((query) => metricReferences(query).exportMetrics),
    );
    const unshown = [...families.entries()]
      .filter(([family]) => family.startsWith('export_'))
      .filter(([family, type]) =>
        type === 'histogram' ? !used.has(`${family}_bucket`) : !used.has(family),
      )
      .map(([family]) => family);
    expect(unshown).toEqual([]);
  });
});

describe('up, which Prometheus writes for each scrape rather than the service', () => {
  it(`is read only for job="${scrapeJob}"`, () => {
    const selectors = [...ruleExpressions, ...dashboardQueries].flatMap(upSelectors);
    expect(selectors.length).toBeGreaterThan(0);
    for (const selector of selectors) expect(selector).toContain(`job="${scrapeJob}"`);
  });
});

describe('docs/metrics.md', () => {
  it('has a section for every export family the service exposes', () => {
    const anchors = markdownAnchors(readFileSync(opsPaths.metricsDocument, 'utf8'));
    const undocumented = [...families.keys()]
      .filter((family) => family.startsWith('export_'))
      .filter((family) => !anchors.has(family));
    expect(undocumented).toEqual([]);
  });
});
