import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** A path given relative to the repository root, made absolute. */
export function repositoryPath(relativePath: string): string {
  return join(repositoryRoot, relativePath);
}
