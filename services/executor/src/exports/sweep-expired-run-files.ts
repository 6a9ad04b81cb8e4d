import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { exportFormats } from '@org/export-core';

// What /export/run names its files: `<uuid>.<format>`. Nothing else is touched.
const runFileName = new RegExp(
  `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.(${exportFormats.join('|')})$`,
);

/** Deletes /export/run files last written before `cutoff` (ms since the epoch); returns how many. */
export async function sweepExpiredRunFiles(folder: string, cutoff: number): Promise<number> {
  let swept = 0;
  for (const name of await readdir(folder)) {
    if (!runFileName.test(name)) continue;
    const path = join(folder, name);
    const modified = await stat(path).then(
      (stats) => stats.mtimeMs,
      () => Number.POSITIVE_INFINITY,
    );
    if (modified > cutoff) continue;
    await rm(path, { force: true });
    swept += 1;
  }
  return swept;
}
