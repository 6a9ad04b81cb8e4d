import { jobArtifactOf } from '../jobs/job-artifact.js';
import { compareNewestFirst, decodeJobCursor, encodeJobCursor } from '../jobs/job-cursor.js';
import type { JobFiles } from '../jobs/job-files.js';
import type { JobQueue, JobSnapshot, JobViewer } from '../jobs/job-queue.js';
import { emptyJobCounts, type JobRecord } from '../jobs/job-record.js';
import { isVisibleTo } from '../jobs/job-visibility.js';
import type { ClusterJobRecords } from './cluster-job-records.js';
import type { CurrentJobs } from './current-jobs.js';

const pageBatch = 200;

/** Every visible record, newest first, in batches: for the list, the counts and the sweeps. */
export async function* recordBatches(
  records: ClusterJobRecords,
  viewer: JobViewer,
): AsyncGenerator<JobRecord[]> {
  for (let offset = 0; ; offset += pageBatch) {
    const ids = await records.idsNewestFirst(offset, pageBatch);
    if (ids.length === 0) return;
    const found = (await records.getMany(ids)).filter(
      (record): record is JobRecord => record !== undefined && isVisibleTo(record, viewer),
    );
    yield found;
    if (ids.length < pageBatch) return;
  }
}

export interface ClusterJobReadsOptions {
  records: ClusterJobRecords;
  jobs: CurrentJobs;
  files: JobFiles;
}

export type ClusterJobReads = Pick<JobQueue, 'get' | 'list' | 'counts' | 'artifact'>;

/** The cluster's job lookups. They write nothing: what BullMQ says is shown, not saved. */
export function clusterJobReads({ records, jobs, files }: ClusterJobReadsOptions): ClusterJobReads {
  async function visible(id: string, viewer: JobViewer): Promise<JobRecord | undefined> {
    const record = await records.get(id);
    return record && isVisibleTo(record, viewer) ? record : undefined;
  }

  return {
    async get(id, viewer) {
      const record = await visible(id, viewer);
      return record && (await jobs.current([record]))[0];
    },

    async list({ viewer, status, format, limit, cursor }) {
      const after = cursor === undefined ? undefined : decodeJobCursor(cursor);
      const matching: JobSnapshot[] = [];
      for await (const batch of recordBatches(records, viewer)) {
        const candidates = batch.filter(
          (record) =>
            (format === undefined || record.format === format) &&
            (after === undefined || compareNewestFirst(record, after) > 0),
        );
        for (const job of await jobs.current(candidates)) {
          if (status === undefined || job.status === status) matching.push(job);
        }
        if (matching.length > limit) break;
      }
      matching.sort(compareNewestFirst);
      const page = matching.slice(0, limit);
      const last = page.at(-1);
      return {
        jobs: page,
        nextCursor: matching.length > limit && last ? encodeJobCursor(last) : null,
      };
    },

    async counts(viewer) {
      const counts = emptyJobCounts();
      for await (const batch of recordBatches(records, viewer)) {
        for (const job of await jobs.current(batch)) counts[job.status] += 1;
      }
      return counts;
    },

    async artifact(id, viewer) {
      const record = await visible(id, viewer);
      return record && jobArtifactOf(files, record);
    },
  };
}
