import { describe, expect, it } from 'vitest';
import { opsFiles } from '../src/ops-files.js';
import { runPromtool } from '../src/run-promtool.js';

describe('promtool', () => {
  it('finds the rules valid: `promtool check rules`', () => {
    const { status, output } = runPromtool(['check', 'rules', opsFiles.rules]);
    expect(output).toContain('SUCCESS');
    expect(status, output).toBe(0);
  });

  it('finds the rules do what their unit tests say: `promtool test rules`', () => {
    const { status, output } = runPromtool(['test', 'rules', opsFiles.rulesTests]);
    expect(output).toContain('SUCCESS');
    expect(status, output).toBe(0);
  });
});
