import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  readManifest,
  repositoryFiles,
  repositoryRoot,
  workspaceDirectories,
} from '../src/repository.js';

describe('the repository layout', () => {
  it.each([
    'package.json',
    'pnpm-workspace.yaml',
    'pnpm-lock.yaml',
    'turbo.json',
    'tsconfig.base.json',
    '.changeset/config.json',
    'packages/export-core/package.json',
    'packages/export-fastify/package.json',
    'packages/export-metrics/package.json',
    'packages/export-limiter/package.json',
    'services/executor/package.json',
    'tools',
    'docs/architecture.md',
    'docs/releasing.md',
    'README.md',
    '.ci/run',
    '.github/workflows/ci.yml',
  ])('has %s at the root', (path) => {
    expect(existsSync(join(repositoryRoot, path))).toBe(true);
  });

  it('has one lockfile, pnpm’s, and one .git', () => {
    const lockfiles = repositoryFiles().filter((file) =>
      /(^|\/)(pnpm-lock\.yaml|package-lock\.json|yarn\.lock|npm-shrinkwrap\.json)$/.test(file),
    );
    expect(lockfiles).toEqual(['pnpm-lock.yaml']);
    expect(repositoryFiles().filter((file) => /(^|\/)\.git\//.test(file))).toEqual([]);
  });

  it('has a package.json only at the root and at each workspace root, besides test fixtures', () => {
    const manifests = repositoryFiles()
      .filter((file) => file.endsWith('package.json') && !file.includes('/test/fixtures/'))
      .map((file) => dirname(file));
    expect(manifests.sort()).toEqual(['.', ...workspaceDirectories()].sort());
  });

  it('has no folder that repeats the name of a folder above it', () => {
    const repeated = new Set<string>();
    for (const file of repositoryFiles()) {
      const folders = dirname(file)
        .split('/')
        .filter((folder) => folder !== '.');
      folders.forEach((folder, index) => {
        if (folders.slice(0, index).includes(folder)) repeated.add(dirname(file));
      });
    }
    expect([...repeated]).toEqual([]);
  });

  it('lists the workspaces it has in pnpm-workspace.yaml', () => {
    const workspaceFile = readFileSync(join(repositoryRoot, 'pnpm-workspace.yaml'), 'utf8');
    for (const glob of ['packages/*', 'services/*', 'tools/*']) {
      expect(workspaceFile).toContain(`- ${glob}`);
    }
  });

  it('pins the pnpm that .ci/run installs in packageManager', () => {
    const { packageManager } = readManifest('.');
    const ciScript = readFileSync(join(repositoryRoot, '.ci/run'), 'utf8');
    const version = /^pnpm@(\d+\.\d+\.\d+)$/.exec(packageManager ?? '')?.[1];
    expect(version).toBeDefined();
    expect(ciScript).toContain(`PNPM_VERSION=${version}`);
  });
});

describe('what git ignores', () => {
  it('is never a source file: a clean clone must have every file the build needs', () => {
    const ignored = execFileSync(
      'git',
      ['ls-files', '--others', '--ignored', '--exclude-standard', '--directory'],
      { cwd: repositoryRoot, encoding: 'utf8' },
    )
      .split('\n')
      .filter((path) => path !== '')
      .filter((path) => !/(^|\/)(node_modules|dist|\.turbo|coverage)\/$/.test(path))
      .filter((path) => !/^(exports|services\/[^/]+\/exports)\/$/.test(path))
      .filter((path) => !path.endsWith('.tgz') && !path.endsWith('.log'));
    expect(ignored).toEqual([]);
  });
});
