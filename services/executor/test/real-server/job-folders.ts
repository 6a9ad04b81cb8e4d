import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** What a job's folder holds (`job.json`, `input.ndjson`, `export.csv`, temp files), sorted. */
export function jobFolderFiles(exportDirectory: string, id: string): string[] {
  return readdirSync(join(exportDirectory, 'jobs', id)).sort();
}

/** Every temp file (`….partial`) anywhere under the export folder, as paths relative to it. */
export function partialFilesUnder(exportDirectory: string): string[] {
  return readdirSync(exportDirectory, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.partial'))
    .sort();
}
