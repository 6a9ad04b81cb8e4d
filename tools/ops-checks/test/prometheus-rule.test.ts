import { describe, expect, it } from 'vitest';
import { readYamlDocuments } from '../src/kustomization.js';
import { opsPaths } from '../src/ops-files.js';
import { prometheusRuleYaml } from '../src/prometheus-rule.js';
import { readRulesFile } from '../src/rules-file.js';

const rules = readRulesFile(opsPaths.rules);

describe('the PrometheusRule of ops/kubernetes/monitoring', () => {
  // `generate:prometheus-rule` runs this test with --update to write the file.
  it('is generated from ops/prometheus/export.rules.yml', async () => {
    await expect(prometheusRuleYaml(rules)).toMatchFileSnapshot(opsPaths.prometheusRule);
  });

  it('holds the same groups as the rules file, rule for rule', () => {
    const [prometheusRule] = readYamlDocuments(opsPaths.prometheusRule) as {
      spec: { groups: unknown };
    }[];
    expect(prometheusRule?.spec.groups).toEqual(rules.groups);
  });
});
