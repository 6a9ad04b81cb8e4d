import { spawnSync } from 'node:child_process';
import { repositoryRoot } from './repository-root.js';

export interface PromtoolResult {
  status: number | null;
  /** stdout and stderr together, as promtool interleaves its report over both. */
  output: string;
}

/**
 * Runs promtool from the repository root. A missing promtool is an error that says how to get
 * it, never a skipped check: these files have no other test.
 */
export function runPromtool(args: readonly string[]): PromtoolResult {
  const result = spawnSync('promtool', args, { cwd: repositoryRoot, encoding: 'utf8' });
  if (result.error) {
    const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(
      missing
        ? "promtool is not on PATH: install Debian's `prometheus` package (.ci/run does) or a Prometheus release"
        : `promtool could not run: ${result.error.message}`,
      { cause: result.error },
    );
  }
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
