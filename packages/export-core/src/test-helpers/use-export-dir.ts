import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, vi } from 'vitest';

/**
 * For an example's test: EXPORT_DIR, where the examples write, set to a new temporary folder
 * before the example is imported, and removed after; console.log captured.
 */
export function useExportDir(): { folder: () => string; logged: () => unknown[][] } {
  let folder = '';
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'export-core-example-'));
    process.env.EXPORT_DIR = folder;
  });
  afterAll(async () => {
    log.mockRestore();
    delete process.env.EXPORT_DIR;
    await rm(folder, { recursive: true, force: true });
  });
  return { folder: () => folder, logged: () => log.mock.calls };
}
