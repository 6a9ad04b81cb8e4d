import { mkdtempSync, rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { partialFileSuffix } from '@org/export-core';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalArtifactStore } from '../../src/artifacts/local-artifact-store.js';
import { describeArtifactStore } from './artifact-store-contract.js';

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'local-store-'));
  folders.push(folder);
  return folder;
}

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

describeArtifactStore('a local folder', async () => {
  const root = tempFolder();
  const store = createLocalArtifactStore(root);
  return {
    store,
    keys: async () => (await filesUnder(root)).filter((name) => !name.endsWith(partialFileSuffix)),
    unfinished: async () =>
      (await filesUnder(root)).filter((name) => name.endsWith(partialFileSuffix)).length,
  };
});

describe('a local folder as the artifact store', () => {
  it('keeps an object as the file its key names, for workers to open themselves', async () => {
    const root = tempFolder();
    const store = createLocalArtifactStore(root);
    await store.put('jobs/a/export.csv', 'x');
    expect(store.pathOf('jobs/a/export.csv')).toBe(join(root, 'jobs', 'a', 'export.csv'));
    expect(await filesUnder(root)).toEqual([join('jobs', 'a', 'export.csv')]);
  });

  it('fails its boot check naming EXPORT_DIR when the folder cannot be made', async () => {
    const root = tempFolder();
    const store = createLocalArtifactStore(join(root, 'file'));
    await createLocalArtifactStore(root).put('file', 'not a folder');
    await expect(
      createLocalArtifactStore(join(root, 'file', 'below')).check(),
    ).rejects.toMatchObject({
      code: 'EXECUTOR_STORE_MISCONFIGURED',
      message: expect.stringContaining('EXPORT_DIR='),
    });
    await expect(store.check()).rejects.toMatchObject({ code: 'EXECUTOR_STORE_MISCONFIGURED' });
  });
});
