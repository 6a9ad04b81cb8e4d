import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** The parts of a promtool unit-test file (`promtool test rules`) that the checks read. */
export interface RulesTestFile {
  rule_files: string[];
  tests: {
    name?: string;
    alert_rule_test?: { eval_time: string; alertname: string; exp_alerts?: unknown[] }[];
    promql_expr_test?: { expr: string; eval_time: string; exp_samples?: unknown[] }[];
  }[];
}

export function readRulesTestFile(path: string): RulesTestFile {
  return parse(readFileSync(path, 'utf8')) as RulesTestFile;
}
