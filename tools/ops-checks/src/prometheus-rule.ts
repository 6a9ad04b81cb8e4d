import { stringify } from 'yaml';
import type { RulesFile } from './rules-file.js';

/**
 * The PrometheusRule of ops/kubernetes/monitoring: the groups of ops/prometheus/export.rules.yml,
 * as they are, under the Prometheus Operator's kind, written as YAML with a header that says
 * where it comes from.
 */
export function prometheusRuleYaml(rules: RulesFile): string {
  const prometheusRule = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: 'export-executor',
      labels: {
        'app.kubernetes.io/name': 'export-executor',
        'app.kubernetes.io/part-of': 'export-at-scale',
      },
    },
    spec: { groups: rules.groups },
  };
  const header = [
    '# Generated from ops/prometheus/export.rules.yml: do not edit. After changing the rules, run',
    '#   pnpm --filter @org/ops-checks generate:prometheus-rule',
    '# (a test fails while the two differ).',
  ].join('\n');
  return `${header}\n${stringify(prometheusRule, { lineWidth: 0 })}`;
}
