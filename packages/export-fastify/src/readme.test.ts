import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const packageDirectory = join(import.meta.dirname, '..');
const readme = readFileSync(join(packageDirectory, 'README.md'), 'utf8');
const examples = readdirSync(join(packageDirectory, 'examples')).map((name) =>
  readFileSync(join(packageDirectory, 'examples', name), 'utf8'),
);

describe('the README', () => {
  // The examples are typechecked with the package (tsconfig `include`) and run by
  // examples.test.ts: a snippet that is one of them compiles and works.
  it('quotes only whole example files in its TypeScript snippets', () => {
    const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);
    expect(snippets.length).toBeGreaterThan(0);
    for (const snippet of snippets) expect(examples).toContain(snippet);
  });

  it('quotes every example', () => {
    for (const example of examples) expect(readme).toContain(example);
  });

  it('lists every error code', async () => {
    const { exportFastifyErrorCodes } = await import('./errors.js');
    for (const code of exportFastifyErrorCodes) expect(readme).toContain(`\`${code}\``);
  });
});
