import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifest, repositoryRoot, workspaceDirectories } from '../src/repository.js';

const publishedPackages = [
  ['packages/export-core', '@org/export-core'],
  ['packages/export-fastify', '@org/export-fastify'],
  ['packages/export-limiter', '@org/export-limiter'],
  ['packages/export-metrics', '@org/export-metrics'],
] as const;

describe('every workspace', () => {
  it.each(workspaceDirectories())('%s is an ES module package', (directory) => {
    expect(readManifest(directory).type).toBe('module');
  });

  it.each(workspaceDirectories())(
    '%s depends on other workspaces through workspace:^',
    (directory) => {
      const manifest = readManifest(directory);
      const internal = Object.entries({
        ...manifest.dependencies,
        ...manifest.devDependencies,
        ...manifest.peerDependencies,
      }).filter(([name]) => name.startsWith('@org/'));
      for (const [, range] of internal) expect(range).toBe('workspace:^');
    },
  );

  it('is private unless it is one of the published packages', () => {
    const published = workspaceDirectories().filter(
      (directory) => !readManifest(directory).private,
    );
    expect(published).toEqual(publishedPackages.map(([directory]) => directory));
  });
});

describe.each(publishedPackages)('the published package in %s', (directory, name) => {
  const manifest = readManifest(directory);

  it(`is named ${name} and has a semver version`, () => {
    expect(manifest.name).toBe(name);
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?$/);
  });

  it('has an exports map with types first, then import and default', () => {
    expect(manifest.exports).toBeDefined();
    const root = manifest.exports?.['.'] as Record<string, string>;
    expect(Object.keys(root)).toEqual(['types', 'import', 'default']);
    expect(root.types).toBe('./dist/index.d.ts');
    expect(root.import).toBe('./dist/index.js');
  });

  it('ships only dist, has no side effects and declares engines, license and repository', () => {
    expect(manifest.files).toEqual(['dist']);
    expect(manifest.sideEffects).toBe(false);
    expect(manifest.engines?.node).toMatch(/^>=20/);
    expect(manifest.license).toBe('MIT');
    expect(manifest.repository?.directory).toBe(directory);
  });

  it('has a README of its own', () => {
    expect(existsSync(join(repositoryRoot, directory, 'README.md'))).toBe(true);
  });

  it('builds with tsup and runs every check the root `pnpm check` relies on', () => {
    expect(manifest.scripts).toMatchObject({
      build: 'tsup',
      typecheck: 'tsc --noEmit',
      test: 'vitest run',
      publint: 'publint --strict',
      attw: 'attw --pack . --profile esm-only',
    });
  });
});
