import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExportFormat } from '@org/export-core';

/**
 * Where a job's files live: one folder per job under `<EXPORT_DIR>/jobs`, holding its record,
 * its spooled input, its finished file and that file's manifest. Ids come from randomUUID and
 * are looked up in memory before any path is built, so no request text reaches the file system.
 */
export interface JobFiles {
  readonly root: string;
  folder(id: string): string;
  record(id: string): string;
  input(id: string): string;
  artifact(id: string, format: ExportFormat): string;
  manifest(id: string): string;
  /** The job's completion webhook, while it is pending and after. */
  webhook(id: string): string;
}

export function jobFilesUnder(exportDirectory: string): JobFiles {
  const root = join(exportDirectory, 'jobs');
  const folder = (id: string) => join(root, id);
  return {
    root,
    folder,
    record: (id) => join(folder(id), 'job.json'),
    input: (id) => join(folder(id), 'input.ndjson'),
    artifact: (id, format) => join(folder(id), `export.${format}`),
    manifest: (id) => join(folder(id), 'manifest.json'),
    webhook: (id) => join(folder(id), 'webhook.json'),
  };
}

/**
 * Removes a job's spooled input and its file: what a failed or cancelled job no longer needs.
 * Its folder and record stay.
 */
export async function removeRunFiles(
  files: JobFiles,
  job: { id: string; format: ExportFormat },
): Promise<void> {
  await rm(files.input(job.id), { force: true });
  await rm(files.artifact(job.id, job.format), { force: true });
}
