import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** Files git tracks or would track (untracked but not ignored), relative to the root. */
export function repositoryFiles(): string[] {
  return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: repositoryRoot,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((file) => file !== '' && existsSync(join(repositoryRoot, file)));
}

export interface PackageManifest {
  name: string;
  version: string;
  private?: boolean;
  type?: string;
  sideEffects?: boolean;
  license?: string;
  engines?: Record<string, string>;
  repository?: { type: string; url: string; directory: string };
  exports?: Record<string, unknown>;
  files?: string[];
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  packageManager?: string;
}

export function readManifest(directory: string): PackageManifest {
  return JSON.parse(readFileSync(join(repositoryRoot, directory, 'package.json'), 'utf8'));
}

/** The workspace folders, as pnpm-workspace.yaml's globs find them. */
export function workspaceDirectories(): string[] {
  return repositoryFiles()
    .filter((file) => /^(packages|services|tools)\/[^/]+\/package\.json$/.test(file))
    .map((file) => dirname(file))
    .sort();
}
