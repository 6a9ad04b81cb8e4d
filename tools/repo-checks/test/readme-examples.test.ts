import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeLanguages, readmeSnippets } from '../src/readme-examples.js';
import { readManifest, repositoryRoot, workspaceDirectories } from '../src/repository.js';

// Every published package: its README is what a new user copies from.
const packagesWithTestedExamples = workspaceDirectories().filter((directory) =>
  directory.startsWith('packages/'),
);

describe('readmeSnippets', () => {
  it('finds each block with its language and the example named before it', () => {
    const markdown = [
      '# x',
      '<!-- example: examples/a.ts -->',
      '```ts',
      'const a = 1;',
      '```',
      '',
      '```sh',
      'npm i x',
      '```',
    ].join('\n');
    expect(readmeSnippets(markdown)).toEqual([
      { line: 3, language: 'ts', code: 'const a = 1;\n', example: 'examples/a.ts' },
      { line: 7, language: 'sh', code: 'npm i x\n', example: undefined },
    ]);
  });
});

describe.each(packagesWithTestedExamples)('%s/README.md', (directory) => {
  const readme = readFileSync(join(repositoryRoot, directory, 'README.md'), 'utf8');
  const snippets = readmeSnippets(readme).filter((snippet) => codeLanguages.has(snippet.language));

  it('has code snippets, each quoting an example file', () => {
    expect(snippets.length).toBeGreaterThan(0);
    const unmarked = snippets.filter((snippet) => snippet.example === undefined);
    expect(unmarked.map((snippet) => `line ${snippet.line}`)).toEqual([]);
  });

  it.each(snippets.filter((snippet) => snippet.example !== undefined))(
    'quotes $example whole (line $line)',
    ({ example, code }) => {
      const path = join(repositoryRoot, directory, example as string);
      expect(existsSync(path), `${example} is missing`).toBe(true);
      expect(code).toBe(readFileSync(path, 'utf8'));
    },
  );

  it('quotes every example file, so that none is left untested or unread', () => {
    const folder = join(repositoryRoot, directory, 'examples');
    const examples = readdirSync(folder).filter((name) => !name.endsWith('.test.ts'));
    const quoted = new Set(snippets.map((snippet) => snippet.example));
    expect(examples.filter((name) => !quoted.has(`examples/${name}`))).toEqual([]);
  });

  it('typechecks its examples with the package, as a consumer imports them', () => {
    const tsconfig = JSON.parse(
      readFileSync(join(repositoryRoot, directory, 'tsconfig.json'), 'utf8'),
    );
    expect(tsconfig.include).toContain('examples');
    // Not shipped: an example is for reading and testing, not for the tarball.
    expect(readManifest(directory).files).toEqual(['dist']);
  });

  it('imports the package by its name in every example, never by a relative path into src', () => {
    const { name } = readManifest(directory);
    for (const snippet of snippets) {
      expect(snippet.code).not.toMatch(/from '\.\.?\/(\.\.\/)*src/);
      if (snippet.code.includes('import ')) expect(snippet.code).toContain(`from '${name}'`);
    }
  });
});

describe.each([
  ['README.md', /^packages\/[^/]+\/examples\//],
  ['docs/recipes.md', /^tools\/recipes\/examples\//],
])('%s', (file, examplePath) => {
  const markdown = readFileSync(join(repositoryRoot, file), 'utf8');
  const snippets = readmeSnippets(markdown).filter((snippet) =>
    codeLanguages.has(snippet.language),
  );

  it('quotes a tested example file in each code snippet (paths from the repository root)', () => {
    expect(snippets.length).toBeGreaterThan(0);
    for (const { example, code, line } of snippets) {
      expect(example, `the snippet at line ${line} names no example`).toMatch(examplePath);
      expect(code).toBe(readFileSync(join(repositoryRoot, example as string), 'utf8'));
    }
  });
});
