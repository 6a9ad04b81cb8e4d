import { rm } from 'node:fs/promises';
import type { Queue } from 'bullmq';
import type { JobFiles } from '../jobs/job-files.js';
import type { JobRecord } from '../jobs/job-record.js';
import type { ClusterJobRecords } from './cluster-job-records.js';
import type { ClusterJobData } from './process-cluster-job.js';

/**
 * Deletes a job everywhere. Files first: a job that reads as gone has nothing left on disk, and
 * one whose files could not be removed keeps its record, for the next sweep to try again.
 */
export async function removeClusterJob(
  {
    queue,
    records,
    files,
  }: { queue: Queue<ClusterJobData>; records: ClusterJobRecords; files: JobFiles },
  record: JobRecord,
): Promise<void> {
  await rm(files.folder(record.id), { recursive: true, force: true });
  await queue.remove(record.id).catch(() => 0);
  await records.remove(record);
}
