import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { partialFileSuffix } from '@org/export-core';

/**
 * Removes the temp files (`.<name>.<uuid>.partial`) a killed process left in `folder`. Only at
 * boot, or in a folder no export is writing to: a running export's temp file ends the same way.
 * In a folder other processes write to (a cluster's shared one), pass `unchangedForMs`: only a
 * file untouched that long, longer than any export may run, is surely a dead process's.
 */
export async function removePartialFiles(
  folder: string,
  { unchangedForMs }: { unchangedForMs?: number } = {},
): Promise<string[]> {
  const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const partials = names.filter((name) => name.endsWith(partialFileSuffix));
  const cutoff = Date.now() - (unchangedForMs ?? 0);
  const stale = [];
  for (const name of partials) {
    const changed = unchangedForMs === undefined ? 0 : await modifiedAt(join(folder, name));
    if (changed !== undefined && changed <= cutoff) stale.push(name);
  }
  await Promise.all(stale.map((name) => rm(join(folder, name), { force: true })));
  return stale;
}

async function modifiedAt(path: string): Promise<number | undefined> {
  return stat(path).then(
    (stats) => stats.mtimeMs,
    () => undefined,
  );
}
