import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { partialFileSuffix } from '@org/export-core';

/**
 * Removes the temp files (`.<name>.<uuid>.partial`) a killed process left in `folder`. Only at
 * boot, or in a folder no export is writing to: a running export's temp file ends the same way.
 */
export async function removePartialFiles(folder: string): Promise<string[]> {
  const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const partials = names.filter((name) => name.endsWith(partialFileSuffix));
  await Promise.all(partials.map((name) => rm(join(folder, name), { force: true })));
  return partials;
}
