import { repositoryPath } from './repository-root.js';

/** The files these checks keep honest, relative to the repository root. */
export const opsFiles = Object.freeze({
  rules: 'ops/prometheus/export.rules.yml',
  rulesTests: 'ops/prometheus/export.rules.test.yml',
  dashboard: 'ops/grafana/export-dashboard.json',
  runbook: 'docs/runbook.md',
  metricsDocument: 'docs/metrics.md',
  dockerfile: 'ops/docker/Dockerfile',
  dockerignore: '.dockerignore',
  gitignore: '.gitignore',
  kubernetes: 'ops/kubernetes',
  kubernetesBase: 'ops/kubernetes/base',
  kubernetesMonitoring: 'ops/kubernetes/monitoring',
  kubernetesKeda: 'ops/kubernetes/keda',
  prometheusRule: 'ops/kubernetes/monitoring/prometheus-rule.yaml',
  compose: 'ops/compose/compose.yaml',
});

export const opsPaths = Object.freeze(
  Object.fromEntries(
    Object.entries(opsFiles).map(([key, path]) => [key, repositoryPath(path)]),
  ) as Record<keyof typeof opsFiles, string>,
);

/** The scrape job the rules and the dashboard assume for `up` (docs/metrics.md says so). */
export const scrapeJob = 'export-executor';

export const runbookUrlPrefix = 'https://github.com/org/export-at-scale/blob/main/docs/runbook.md#';
