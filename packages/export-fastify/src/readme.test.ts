import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const packageDirectory = join(import.meta.dirname, '..');
const readme = readFileSync(join(packageDirectory, 'README.md'), 'utf8');

describe('the README', () => {
  // Its snippets are whole example files: tools/repo-checks' readme-examples test.
  it('lists every error code', async () => {
    const { exportFastifyErrorCodes } = await import('./errors.js');
    for (const code of exportFastifyErrorCodes) expect(readme).toContain(`\`${code}\``);
  });
});
