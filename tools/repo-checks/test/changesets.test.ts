import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../src/repository.js';

const run = promisify(execFile);

// A throwaway clone: `changeset version` rewrites manifests and must not touch the real tree.
let clone: string;

beforeAll(async () => {
  clone = join(mkdtempSync(join(tmpdir(), 'changesets-')), 'repo');
  await run('git', ['clone', '--quiet', '--no-hardlinks', repositoryRoot, clone]);
  // Working-tree changes that are not committed yet are part of what we test.
  await run('sh', [
    '-c',
    `git -C "${repositoryRoot}" diff HEAD | git -C "${clone}" apply --allow-empty`,
  ]);
  symlinkSync(join(repositoryRoot, 'node_modules'), join(clone, 'node_modules'));
  // Only this test's changeset: the pending ones of the repository would add their own bumps.
  for (const name of readdirSync(join(clone, '.changeset'))) {
    if (name.endsWith('.md') && name !== 'README.md') rmSync(join(clone, '.changeset', name));
  }
  writeFileSync(
    join(clone, '.changeset/brave-rows-stream.md'),
    [
      '---',
      "'@org/export-core': minor",
      "'@org/export-metrics': patch",
      '---',
      '',
      'Stream CSV.',
      '',
    ].join('\n'),
  );
  await run(process.execPath, [join(clone, 'node_modules/@changesets/cli/bin.js'), 'version'], {
    cwd: clone,
  });
}, 60_000);

afterAll(() => {
  rmSync(join(clone, '..'), { recursive: true, force: true });
});

function manifestVersion(directory: string): string {
  return JSON.parse(readFileSync(join(clone, directory, 'package.json'), 'utf8')).version;
}

describe('changeset version', () => {
  it('bumps each package by its changeset from the current version', () => {
    const current = (directory: string) =>
      JSON.parse(readFileSync(join(repositoryRoot, directory, 'package.json'), 'utf8')).version;
    const [major, minor] = current('packages/export-core').split('.').map(Number);
    expect(manifestVersion('packages/export-core')).toBe(`${major}.${(minor ?? 0) + 1}.0`);
    const [metricsMajor, metricsMinor, metricsPatch] = current('packages/export-metrics')
      .split('.')
      .map(Number);
    expect(manifestVersion('packages/export-metrics')).toBe(
      `${metricsMajor}.${metricsMinor}.${(metricsPatch ?? 0) + 1}`,
    );
  });

  it('writes a CHANGELOG.md with the summary for each bumped package', () => {
    const changelog = readFileSync(join(clone, 'packages/export-core/CHANGELOG.md'), 'utf8');
    expect(changelog).toContain('# @org/export-core');
    expect(changelog).toContain('Stream CSV.');
  });

  it('consumes the changeset', () => {
    expect(existsSync(join(clone, '.changeset/brave-rows-stream.md'))).toBe(false);
  });

  it('leaves the private executor alone', () => {
    expect(existsSync(join(clone, 'services/executor/CHANGELOG.md'))).toBe(false);
  });
});

describe('the pending changesets of the repository', () => {
  it('each name a published package and a bump in valid front matter', () => {
    const folder = join(repositoryRoot, '.changeset');
    const published = [
      '@org/export-core',
      '@org/export-fastify',
      '@org/export-limiter',
      '@org/export-metrics',
    ];
    for (const name of readdirSync(folder).filter(
      (file) => file.endsWith('.md') && file !== 'README.md',
    )) {
      const text = readFileSync(join(folder, name), 'utf8');
      const frontMatter = /^---\n([\s\S]+?)\n---\n/.exec(text)?.[1];
      expect(frontMatter, name).toBeDefined();
      for (const line of frontMatter?.split('\n') ?? []) {
        const match = /^'(@org\/[\w-]+)': (patch|minor|major)$/.exec(line);
        expect(match, `${name}: ${line}`).not.toBeNull();
        expect(published).toContain(match?.[1]);
      }
    }
  });
});
