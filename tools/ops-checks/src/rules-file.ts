import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface RecordingRule {
  record: string;
  expr: string;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RulesFile {
  groups: { name: string; rules: (RecordingRule | AlertingRule)[] }[];
}

export function readRulesFile(path: string): RulesFile {
  return parse(readFileSync(path, 'utf8')) as RulesFile;
}

export function recordingRules(rules: RulesFile): RecordingRule[] {
  return rules.groups.flatMap((group) =>
    group.rules.filter((rule): rule is RecordingRule => 'record' in rule),
  );
}

export function alertingRules(rules: RulesFile): AlertingRule[] {
  return rules.groups.flatMap((group) =>
    group.rules.filter((rule): rule is AlertingRule => 'alert' in rule),
  );
}
