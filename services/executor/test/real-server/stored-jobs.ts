import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JobManifest, JobRecord } from '../../src/jobs/job-record.js';

const csv = 'id\r\n1\r\n';

/**
 * Writes `count` done CSV jobs as a process that ran them leaves them: each a folder under
 * `<exportDirectory>/jobs` with its record, its manifest and its one-row file. Finished
 * `finishedAt`, so that retention keeps them.
 */
export function writeDoneJobs(
  exportDirectory: string,
  count: number,
  { owner = null, finishedAt }: { owner?: string | null; finishedAt: string },
): void {
  const root = join(exportDirectory, 'jobs');
  mkdirSync(root, { recursive: true });
  const bytes = Buffer.byteLength(csv);
  for (let index = 0; index < count; index += 1) {
    const id = `00000000-0000-4000-8000-${index.toString().padStart(12, '0')}`;
    const folder = join(root, id);
    const sha256 = '0'.repeat(64);
    const manifest: JobManifest = {
      id,
      format: 'csv',
      rows: 1,
      bytes,
      sha256,
      columns: ['id'],
      owner,
      createdAt: finishedAt,
      finishedAt,
    };
    const record: JobRecord = {
      id,
      owner,
      status: 'done',
      format: 'csv',
      options: { csvProfile: 'rfc4180' },
      columns: ['id'],
      totalRows: 1,
      createdAt: finishedAt,
      startedAt: finishedAt,
      finishedAt,
      rows: 1,
      bytes,
      sha256,
      error: null,
    };
    mkdirSync(folder);
    writeFileSync(join(folder, 'export.csv'), csv);
    writeFileSync(join(folder, 'manifest.json'), JSON.stringify(manifest));
    writeFileSync(join(folder, 'job.json'), JSON.stringify(record));
  }
}
