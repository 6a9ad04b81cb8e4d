import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from './repository-root.js';
import { runCommand } from './run-command.js';

interface ListedDependency {
  version: string;
  path: string;
  dependencies?: Record<string, ListedDependency>;
  optionalDependencies?: Record<string, ListedDependency>;
}

/**
 * The executor's production dependencies, all the way down, as `name@version`: what
 * `pnpm list --prod` finds in this checkout. A workspace package (`link:…`) counts with the
 * version of its package.json, as the image holds it.
 */
export async function executorProductionPackages(): Promise<Set<string>> {
  const output = await runCommand(
    'pnpm',
    ['--filter', '@org/executor', 'list', '--prod', '--depth', 'Infinity', '--json'],
    { cwd: repositoryRoot },
  );
  const [executor] = JSON.parse(output) as ListedDependency[];
  const packages = new Set<string>();
  const visit = (dependencies: Record<string, ListedDependency> = {}) => {
    for (const [name, dependency] of Object.entries(dependencies)) {
      const version = dependency.version.startsWith('link:')
        ? (
            JSON.parse(readFileSync(join(dependency.path, 'package.json'), 'utf8')) as {
              version: string;
            }
          ).version
        : dependency.version;
      const key = `${name}@${version}`;
      if (packages.has(key)) continue;
      packages.add(key);
      visit(dependency.dependencies);
      visit(dependency.optionalDependencies);
    }
  };
  visit(executor?.dependencies);
  visit(executor?.optionalDependencies);
  return packages;
}

/** The name of a `name@version` (scoped names keep their first `@`). */
export function packageName(nameAtVersion: string): string {
  return nameAtVersion.slice(0, nameAtVersion.lastIndexOf('@'));
}
