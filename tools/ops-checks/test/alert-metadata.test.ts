import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { markdownAnchors } from '../src/markdown-anchors.js';
import { opsPaths, runbookUrlPrefix } from '../src/ops-files.js';
import { alertingRules, readRulesFile } from '../src/rules-file.js';

const alerts = alertingRules(readRulesFile(opsPaths.rules));
const runbookAnchors = markdownAnchors(readFileSync(opsPaths.runbook, 'utf8'));

describe.each(alerts.map((rule) => [rule.alert, rule] as const))('the alert %s', (name, rule) => {
  it('has a severity of warning or critical', () => {
    expect(['warning', 'critical']).toContain(rule.labels?.severity);
  });

  it('has a summary and a description', () => {
    expect(rule.annotations?.summary?.trim()).toBeTruthy();
    expect(rule.annotations?.description?.trim()).toBeTruthy();
  });

  it('links to its own section of docs/runbook.md', () => {
    const url = rule.annotations?.runbook_url ?? '';
    expect(url.startsWith(runbookUrlPrefix), url).toBe(true);
    const anchor = url.slice(runbookUrlPrefix.length);
    expect(anchor).toBe(name.toLowerCase());
    expect([...runbookAnchors]).toContain(anchor);
  });
});

describe('the alerts', () => {
  it('have unique names', () => {
    const names = alerts.map((rule) => rule.alert);
    expect(new Set(names).size).toBe(names.length);
  });
});
