import { JobNotFoundError, JobNotReadyError } from '../errors.js';
import type { JobFiles } from './job-files.js';
import type { JobArtifact } from './job-queue.js';
import type { JobRecord } from './job-record.js';

/**
 * A done job's file, read from its store. Throws EXECUTOR_JOB_NOT_READY (409) while the job is
 * not done; undefined once the file is gone (deleted or swept meanwhile: as unknown as a job
 * that never was).
 */
export async function jobArtifactOf(
  files: JobFiles,
  record: JobRecord,
): Promise<JobArtifact | undefined> {
  if (record.status !== 'done' || record.bytes === null || record.sha256 === null) {
    throw new JobNotReadyError(record.id, record.status);
  }
  const key = files.keys.artifact(record.id, record.format);
  const { artifacts } = files;
  if (!(await artifacts.head(key))) return undefined;
  const { presignedUrl } = artifacts;
  return {
    format: record.format,
    size: record.bytes,
    sha256: record.sha256,
    // Removed between the look and the read (deleted, swept): gone, as the look would have said.
    open: (range) =>
      artifacts.read(key, range).catch((error: { code?: unknown }) => {
        if (error?.code === 'EXECUTOR_STORE_OBJECT_MISSING') throw new JobNotFoundError(record.id);
        throw error;
      }),
    ...(presignedUrl && {
      presignedUrl: (options) => presignedUrl.call(artifacts, key, options),
    }),
  };
}
