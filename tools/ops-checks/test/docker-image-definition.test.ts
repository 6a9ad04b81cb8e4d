import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dockerIgnoreFormOf, ignoreRules } from '../src/docker-ignore.js';
import { instructionArguments, readDockerfile, runtimeUser } from '../src/dockerfile.js';
import { opsPaths } from '../src/ops-files.js';
import { repositoryPath } from '../src/repository-root.js';

const instructions = readDockerfile(opsPaths.dockerfile);
const { packageManager } = JSON.parse(readFileSync(repositoryPath('package.json'), 'utf8')) as {
  packageManager: string;
};

describe('dockerIgnoreFormOf', () => {
  it.each([
    ['node_modules/', '**/node_modules'],
    ['/exports/', 'exports'],
    ['services/*/exports/', 'services/*/exports'],
    ['*.tgz', '**/*.tgz'],
  ])('turns %j into %j', (rule, form) => {
    expect(dockerIgnoreFormOf(rule)).toBe(form);
  });
});

describe('.dockerignore', () => {
  const dockerRules = ignoreRules(readFileSync(opsPaths.dockerignore, 'utf8'));

  it('leaves out everything git ignores: the build context is the repository as committed', () => {
    const gitRules = ignoreRules(readFileSync(opsPaths.gitignore, 'utf8'));
    expect(gitRules.map(dockerIgnoreFormOf).filter((rule) => !dockerRules.includes(rule))).toEqual(
      [],
    );
  });

  it('leaves out .git', () => {
    expect(dockerRules).toContain('.git');
  });
});

describe('ops/docker/Dockerfile', () => {
  it('builds on node:24-slim unless the build argument NODE_IMAGE says otherwise, in every stage', () => {
    expect(instructionArguments(instructions, 'ARG')).toContain('NODE_IMAGE=node:24-slim');
    const stages = instructionArguments(instructions, 'FROM');
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage).toMatch(/^\$\{NODE_IMAGE\}( AS \w+)?$/);
  });

  it('installs the pnpm of packageManager', () => {
    const pnpmVersion = instructionArguments(instructions, 'ARG')
      .find((argument) => argument.startsWith('PNPM_VERSION='))
      ?.split('=')[1];
    expect(`pnpm@${pnpmVersion}`).toBe(packageManager);
  });

  it('deploys the executor with its production dependencies only', () => {
    expect(instructionArguments(instructions, 'RUN').join('\n')).toMatch(
      /pnpm --filter @org\/executor deploy --prod\b/,
    );
  });

  it('runs as a numeric user and group other than root', () => {
    const { user, group } = runtimeUser(instructions);
    expect(user).toMatch(/^[1-9]\d*$/);
    expect(group).toMatch(/^[1-9]\d*$/);
  });

  it('keeps EXPORT_DIR on a volume and listens on every interface', () => {
    const environment = instructionArguments(instructions, 'ENV').join(' ');
    const exportDirectory = /\bEXPORT_DIR=(\S+)/.exec(environment)?.[1];
    expect(instructionArguments(instructions, 'VOLUME')).toEqual([`["${exportDirectory}"]`]);
    expect(environment).toMatch(/\bHOST=0\.0\.0\.0\b/);
  });

  it('starts the executor under tini and checks its health on /health', () => {
    expect(instructionArguments(instructions, 'ENTRYPOINT')).toEqual(['["/usr/bin/tini", "--"]']);
    expect(instructionArguments(instructions, 'CMD').at(-1)).toBe('["node", "dist/server.js"]');
    expect(instructionArguments(instructions, 'HEALTHCHECK').join(' ')).toContain('/health');
  });
});
