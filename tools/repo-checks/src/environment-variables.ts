import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryFiles, repositoryRoot } from './repository.js';

// The keys of the executor's ConfigSchema, one per line at the object's first level.
const configKey = /^ {2}([A-Z][A-Z0-9_]*): Type\./gm;

/** The environment variables the executor reads: the keys of `ConfigSchema` in its config.ts. */
export function executorConfigVariables(): string[] {
  const source = readFileSync(join(repositoryRoot, 'services/executor/src/config.ts'), 'utf8');
  return [...source.matchAll(configKey)].map((match) => match[1] as string).sort();
}

interface TurboConfig {
  globalEnv?: string[];
  globalPassThroughEnv?: string[];
  tasks?: Record<string, { env?: string[]; passThroughEnv?: string[] }>;
}

/** The variables turbo passes to tasks (a test's EXPORT_TEST_REDIS_URL, say), in any turbo.json. */
export function turboVariables(): string[] {
  const names = repositoryFiles()
    .filter((file) => /(^|\/)turbo\.json$/.test(file))
    .flatMap((file) => {
      const config = JSON.parse(readFileSync(join(repositoryRoot, file), 'utf8')) as TurboConfig;
      return [
        ...(config.globalEnv ?? []),
        ...(config.globalPassThroughEnv ?? []),
        ...Object.values(config.tasks ?? {}).flatMap((task) => [
          ...(task.env ?? []),
          ...(task.passThroughEnv ?? []),
        ]),
      ];
    });
  return [...new Set(names)].sort();
}
