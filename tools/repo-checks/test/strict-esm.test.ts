import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../src/repository.js';

const run = promisify(execFile);
const typescriptCompiler = createRequire(import.meta.url).resolve('typescript/bin/tsc');

describe('the shared TypeScript configuration', () => {
  const { compilerOptions } = JSON.parse(
    readFileSync(join(repositoryRoot, 'tsconfig.base.json'), 'utf8'),
  );

  it('is strict, NodeNext, verbatim and declaration-emitting', () => {
    expect(compilerOptions).toMatchObject({
      strict: true,
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      verbatimModuleSyntax: true,
      noUncheckedIndexedAccess: true,
      declaration: true,
    });
  });

  it('fails a relative import without .js (TS2835)', async () => {
    const fixture = join(import.meta.dirname, 'fixtures/extensionless-import/tsconfig.json');
    const result = await run(process.execPath, [typescriptCompiler, '-p', fixture]).then(
      () => ({ failed: false, output: '' }),
      (error: { stdout: string }) => ({ failed: true, output: error.stdout }),
    );
    expect(result.failed).toBe(true);
    expect(result.output).toContain('error TS2835');
    expect(result.output).toContain("'./value.js'");
  });

  it('is extended by every workspace', () => {
    for (const directory of [
      'packages/export-core',
      'packages/export-fastify',
      'packages/export-limiter',
      'packages/export-metrics',
      'services/executor',
      'tools/repo-checks',
    ]) {
      const tsconfig = JSON.parse(
        readFileSync(join(repositoryRoot, directory, 'tsconfig.json'), 'utf8'),
      );
      expect(tsconfig.extends).toBe('../../tsconfig.base.json');
    }
  });
});
