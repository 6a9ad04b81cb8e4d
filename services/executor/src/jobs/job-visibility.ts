import type { JobViewer } from './job-queue.js';
import type { JobRecord } from './job-record.js';

/** A user sees only the jobs their token created; `undefined` (auth off) sees all. */
export function isVisibleTo(record: Pick<JobRecord, 'owner'>, viewer: JobViewer): boolean {
  return viewer === undefined || record.owner === viewer;
}
