import { describe, expect, it } from 'vitest';
import { opsPaths } from '../src/ops-files.js';
import { alertingRules, readRulesFile, recordingRules } from '../src/rules-file.js';
import { readRulesTestFile } from '../src/rules-test-file.js';

const rules = readRulesFile(opsPaths.rules);
const unitTests = readRulesTestFile(opsPaths.rulesTests).tests;
const alertTests = unitTests.flatMap((test) => test.alert_rule_test ?? []);
const expressionTests = unitTests.flatMap((test) => test.promql_expr_test ?? []);

describe('the promtool unit tests', () => {
  it('test the rules file', () => {
    expect(readRulesTestFile(opsPaths.rulesTests).rule_files).toEqual(['export.rules.yml']);
  });

  it.each(alertingRules(rules).map((rule) => rule.alert))('see %s fire at least once', (name) => {
    const firing = alertTests.filter(
      (test) => test.alertname === name && (test.exp_alerts ?? []).length > 0,
    );
    expect(firing.length).toBeGreaterThan(0);
  });

  it.each(alertingRules(rules).map((rule) => rule.alert))(
    'see %s stay quiet at least once',
    (name) => {
      const quiet = alertTests.filter(
        (test) => test.alertname === name && (test.exp_alerts ?? []).length === 0,
      );
      expect(quiet.length).toBeGreaterThan(0);
    },
  );

  it.each(recordingRules(rules).map((rule) => rule.record))('check the value of %s', (name) => {
    const checked = expressionTests.filter(
      (test) => test.expr.trim() === name && (test.exp_samples ?? []).length > 0,
    );
    expect(checked.length).toBeGreaterThan(0);
  });

  it('name only alerts that the rules define', () => {
    const defined = new Set(alertingRules(rules).map((rule) => rule.alert));
    expect(alertTests.map((test) => test.alertname).filter((name) => !defined.has(name))).toEqual(
      [],
    );
  });
});
