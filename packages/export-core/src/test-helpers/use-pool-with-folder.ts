import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createExportPool, type ExportPool } from '../pool/create-export-pool.js';

export interface PoolWithFolder {
  /** One worker, for the whole test file; closed after it. */
  readonly pool: ExportPool;
  /** A new empty temporary folder for each test; removed after it. */
  readonly folder: string;
}

/** The fixture of a pool test file: read its fields inside tests, once the hooks have run. */
export function usePoolWithFolder(folderPrefix: string): PoolWithFolder {
  const fixture = { pool: undefined as unknown as ExportPool, folder: '' };
  beforeAll(() => {
    fixture.pool = createExportPool({ size: 1 });
  });
  afterAll(async () => {
    await fixture.pool.close();
  });
  beforeEach(async () => {
    fixture.folder = await mkdtemp(join(tmpdir(), folderPrefix));
  });
  afterEach(async () => {
    await rm(fixture.folder, { recursive: true, force: true });
  });
  return fixture;
}
