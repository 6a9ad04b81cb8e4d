import { rm, stat } from 'node:fs/promises';
import { ArtifactLostError, InterruptedError } from '../errors.js';
import { removeRunFiles } from './job-files.js';
import type { JobError, JobManifest, JobRecord } from './job-record.js';
import type { JobStore } from './job-store.js';
import { removePartialFiles } from './remove-partial-files.js';

export interface RecoveryReport {
  /** Were running when the process died: now failed with EXECUTOR_INTERRUPTED. */
  interrupted: number;
  /** Queued, with their input on disk: to run again. */
  queued: number;
  /** Done, with their file intact. */
  done: number;
  /** Done on record but with a missing or wrong-sized file: now failed. */
  lost: number;
  /** Temp files and never-accepted job folders removed. */
  sweptFiles: number;
}

/**
 * Brings the stored jobs to a state a fresh process can stand behind, before it serves any
 * request: no temp file survives, a job that was running fails (its export cannot resume
 * mid-file, and running it again could crash the process again), a finished job keeps its file
 * only if the file is whole.
 */
export async function recoverJobs(
  store: JobStore,
  now: Date,
): Promise<{ records: JobRecord[]; report: RecoveryReport }> {
  const { files } = store;
  const artifactMatches = (manifest: JobManifest) => artifactMatchesIn(files, manifest);
  const report: RecoveryReport = { interrupted: 0, queued: 0, done: 0, lost: 0, sweptFiles: 0 };
  const records: JobRecord[] = [];
  const fail = async (record: JobRecord, error: JobError) => {
    Object.assign(record, {
      status: 'failed',
      error,
      finishedAt: now.toISOString(),
      rows: null,
      bytes: null,
      sha256: null,
    } satisfies Partial<JobRecord>);
    await removeRunFiles(files, record);
    await rm(files.manifest(record.id), { force: true });
    await store.save(record);
  };

  for (const { id, record } of await store.readAll()) {
    report.sweptFiles += (await removePartialFiles(files.folder(id))).length;
    if (record === null || record.id !== id) {
      // Died while its upload was spooling: never accepted, so nothing to keep.
      await store.remove(id);
      report.sweptFiles += 1;
      continue;
    }
    if (record.status === 'running') {
      const manifest = await store.readManifest(id);
      if (manifest && (await artifactMatches(manifest))) {
        // Died after the file and its manifest were committed, before the record said so.
        Object.assign(record, {
          status: 'done',
          rows: manifest.rows,
          bytes: manifest.bytes,
          sha256: manifest.sha256,
          finishedAt: manifest.finishedAt,
          error: null,
        } satisfies Partial<JobRecord>);
        await rm(files.input(id), { force: true });
        await store.save(record);
        report.done += 1;
      } else {
        await fail(record, errorOf(new InterruptedError()));
        report.interrupted += 1;
      }
    } else if (record.status === 'queued') {
      if ((await sizeOf(files.input(id))) !== undefined) {
        report.queued += 1;
      } else {
        await fail(record, errorOf(new InterruptedError()));
        report.interrupted += 1;
      }
    } else if (record.status === 'done') {
      const manifest = await store.readManifest(id);
      if (
        manifest?.sha256 === record.sha256 &&
        manifest.bytes === record.bytes &&
        (await artifactMatches(manifest))
      ) {
        // The input goes once a job is done; a crash may have left it.
        await rm(files.input(id), { force: true });
        report.done += 1;
      } else {
        await fail(record, errorOf(new ArtifactLostError()));
        report.lost += 1;
      }
    }
    records.push(record);
  }
  return { records, report };
}

/**
 * The file is there with the manifest's size. Its sha256 is not recomputed: that would read every
 * kept file at each boot; the size catches a truncated or missing file, and the rename that
 * committed it guarantees it was whole.
 */
async function artifactMatchesIn(
  files: JobStore['files'],
  manifest: JobManifest,
): Promise<boolean> {
  return (await sizeOf(files.artifact(manifest.id, manifest.format))) === manifest.bytes;
}

function errorOf(error: { code: string; message: string }): JobError {
  return { code: error.code, message: error.message };
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}
