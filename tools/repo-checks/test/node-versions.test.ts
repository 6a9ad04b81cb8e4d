import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifest, repositoryRoot, workspaceDirectories } from '../src/repository.js';

const read = (path: string) => readFileSync(join(repositoryRoot, path), 'utf8');
const rootEngines = readManifest('.').engines?.node;
const ciMajors = (/^NODE_MAJORS=\(([\d ]+)\)$/m.exec(read('.ci/run'))?.[1] ?? '')
  .split(' ')
  .filter(Boolean)
  .map(Number);
const matrixMajors = (/^\s+node: \[([\d, ]+)\]$/m.exec(read('.github/workflows/ci.yml'))?.[1] ?? '')
  .split(',')
  .map((major) => Number(major.trim()));
const oldestMajor = Number(/^>=(\d+)\.\d+\.\d+$/.exec(rootEngines ?? '')?.[1]);

describe('the Node versions', () => {
  it('start at the same version in every engines field', () => {
    const declared = workspaceDirectories()
      .map((directory) => [directory, readManifest(directory).engines?.node] as const)
      .filter(([, engines]) => engines !== undefined);
    expect(rootEngines).toMatch(/^>=\d+\.\d+\.\d+$/);
    expect(declared.filter(([, engines]) => engines !== rootEngines)).toEqual([]);
  });

  it('are 24 and 22 in .ci/run, besides the machine’s own', () => {
    expect(ciMajors).toEqual([24, 22]);
  });

  it('are the oldest engines allows and those of .ci/run in the GitHub workflow’s matrix', () => {
    expect(matrixMajors).toEqual([oldestMajor, ...ciMajors].sort((a, b) => a - b));
  });

  it('are named in the README, with the oldest as the minimum engines gives', () => {
    // Lines rewrapped are the same text.
    const readme = read('README.md').replace(/\s+/g, ' ');
    const minimum = rootEngines?.replace(/^>=(\d+\.\d+)\.0$/, '$1+');
    expect(readme).toContain(`Node.js ${ciMajors.join(' or ')} and npm`);
    expect(readme).toContain(`Node.js ${minimum} still works`);
    expect(readme).toContain(`under ${matrixMajors.join(', ').replace(/, (\d+)$/, ' and $1')}`);
  });
});
