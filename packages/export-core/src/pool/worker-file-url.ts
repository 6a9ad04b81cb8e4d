import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Built, the worker is dist/export-worker.js beside this bundle; from the sources (the tests),
// it is the built one too, since a worker thread cannot load TypeScript.
export function workerFileUrl(): URL {
  const beside = new URL('./export-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  return new URL('../../dist/export-worker.js', import.meta.url);
}
