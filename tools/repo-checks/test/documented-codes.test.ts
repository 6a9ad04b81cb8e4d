import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterMetricNames, exportMetricNames, workerPoolMetricNames } from '@org/export-metrics';
import { describe, expect, it } from 'vitest';
import { codePattern, codeTokensIn, unknownCodesIn } from '../src/code-tokens.js';
import { executorConfigVariables, turboVariables } from '../src/environment-variables.js';
import { errorCodeLists, executorErrorCodes } from '../src/error-code-lists.js';
import { repositoryFiles, repositoryRoot } from '../src/repository.js';

const codeLists = errorCodeLists();
const codes = new Set(Object.values(codeLists).flat());
// Names that only look like codes: the executor's settings (EXPORT_MAX_ROWS) and the variables
// turbo passes to tests (EXPORT_TEST_REDIS_URL). Read from where they are defined, not listed here.
const environmentVariables = new Set([...executorConfigVariables(), ...turboVariables()]);

// Every workspace's README, the root README and the docs.
const documents = repositoryFiles()
  .filter(
    (file) =>
      file === 'README.md' ||
      /^(packages|services|tools)\/[^/]+\/README\.md$/.test(file) ||
      /^docs\/[^/]+\.md$/.test(file),
  )
  .sort();

describe('the code lists the documentation is checked against', () => {
  it('are read from each package and from the executor', () => {
    expect(codeLists['@org/export-core']).toContain('EXPORT_TIMEOUT');
    expect(codeLists['@org/export-limiter']).toContain('LIMITER_QUEUE_FULL');
    expect(codeLists['@org/export-metrics']).toContain('EXPORT_METRICS_INVALID_OPTION');
    expect(executorErrorCodes()).toEqual(
      expect.arrayContaining([
        'EXECUTOR_EXPORT_TIMEOUT', // created in errors.ts
        'EXECUTOR_BODY_TOO_LARGE', // a Fastify error, renamed in exposed-error.ts
        'EXECUTOR_INTERNAL', // exposed-error.ts's fallback
      ]),
    );
  });

  it('come with the environment variables, read from the executor config and turbo.json', () => {
    expect([...environmentVariables]).toEqual(
      expect.arrayContaining(['EXPORT_DIR', 'EXPORT_MAX_ROWS', 'EXPORT_TEST_REDIS_URL', 'HOST']),
    );
  });

  it('share no name with an environment variable, which would hide that code', () => {
    expect([...environmentVariables].filter((name) => codes.has(name))).toEqual([]);
  });

  it('need not exclude metric names, which are lower case and never look like codes', () => {
    const metricNames = [exportMetricNames, clusterMetricNames, workerPoolMetricNames].flatMap(
      (names) => Object.values(names),
    );
    expect(metricNames.length).toBeGreaterThan(0);
    expect(metricNames.filter((name) => codeTokensIn(name).length > 0)).toEqual([]);
  });
});

describe('a document', () => {
  it('that names a code nobody defines is caught', () => {
    const text = 'Fails with `EXPORT_TIMEOUT`, or `EXECUTOR_TOO_MANY_ROWS` over `EXPORT_MAX_ROWS`.';
    expect(unknownCodesIn(text, codes, environmentVariables)).toEqual([]);
    expect(unknownCodesIn(`${text} Or \`EXPORT_TIME_OUT\`.`, codes, environmentVariables)).toEqual([
      'EXPORT_TIME_OUT',
    ]);
  });

  it('is matched by the code pattern word by word', () => {
    expect(
      codeTokensIn('EXPORT_A, LIMITER_B; (EXECUTOR_C) METRICS_D `EXPORT_E` x_EXPORT_F'),
    ).toEqual(['EXECUTOR_C', 'EXPORT_A', 'EXPORT_E', 'LIMITER_B', 'METRICS_D']);
    expect(codePattern.flags).toContain('g');
  });
});

describe.each(documents)('%s', (file) => {
  it('names only error codes that exist', () => {
    const text = readFileSync(join(repositoryRoot, file), 'utf8');
    expect(unknownCodesIn(text, codes, environmentVariables)).toEqual([]);
  });
});
