import { rm, stat } from 'node:fs/promises';
import { ArtifactLostError, InterruptedError } from '../errors.js';
import { verdictOf } from '../jobs/job-error.js';
import { removeUnfinishedWrites } from '../jobs/job-files.js';
import type { JobLifecycle } from '../jobs/job-lifecycle.js';
import { finishedJobStatuses, type JobManifest, type JobRecord } from '../jobs/job-record.js';
import { doneChange } from '../jobs/job-transitions.js';
import type { FileJobStore } from './file-job-store.js';

export interface RecoveryReport {
  /** Were running when the process died: now failed with EXECUTOR_INTERRUPTED. */
  interrupted: number;
  /** Queued, with their input on disk: to run again. */
  queued: number;
  /** Done, with their file intact. */
  done: number;
  /** Done on record but with a missing or wrong-sized file: now failed. */
  lost: number;
  /** Finished before the retention cutoff: deleted unchecked. */
  expired: number;
  /** Temp files and never-accepted job folders removed. */
  sweptFiles: number;
  /** Could not be checked (a file system error): left on disk as they are, for the next boot. */
  unchecked: number;
}

export interface RecoverJobsOptions {
  /** Fails the jobs a fresh process cannot stand behind, as any backend would. */
  lifecycle: JobLifecycle;
  now: Date;
  /** A job finished longer ago than this is deleted, not checked. */
  retentionMs: number;
  /** Each kept job, as soon as it is recovered. */
  onRecovered(record: JobRecord): void;
  /** How many jobs are checked at once. Default 32. */
  concurrency?: number;
  /** Stops between jobs: the ones not reached stay as they are on disk, for the next boot. */
  signal?: AbortSignal;
  /** How many of `total` job folders have been checked so far. */
  onProgress?(checked: number, total: number): void;
  /** A job that could not be checked; the others go on. */
  onJobError?(id: string, error: unknown): void;
}

/**
 * Brings the stored jobs to a state a fresh process can stand behind: no temp file survives, a
 * job that was running fails (its export cannot resume mid-file, and running it again could
 * crash the process again), a finished job keeps its file only if the file is whole, and an
 * expired one goes. Jobs are checked `concurrency` at a time, so recovery is bounded by the
 * disk's throughput, not by one round trip per file.
 */
export async function recoverJobs(
  store: FileJobStore,
  options: RecoverJobsOptions,
): Promise<RecoveryReport> {
  const { now, onRecovered, signal } = options;
  const { files } = store;
  const cutoff = now.getTime() - options.retentionMs;
  const artifactMatches = (manifest: JobManifest) => artifactMatchesIn(files, manifest);
  const report: RecoveryReport = {
    interrupted: 0,
    queued: 0,
    done: 0,
    lost: 0,
    expired: 0,
    sweptFiles: 0,
    unchecked: 0,
  };

  async function recoverJob(id: string): Promise<void> {
    let record = await store.read(id);
    if (record === null || record.id !== id) {
      // Died while its upload was spooling: never accepted, so nothing to keep.
      await store.remove(id);
      report.sweptFiles += 1;
      return;
    }
    if (finishedJobStatuses.has(record.status) && Date.parse(record.finishedAt ?? '') <= cutoff) {
      await store.remove(id);
      report.expired += 1;
      return;
    }
    // The temp files of every job folder; a store's unfinished uploads only for a job that was
    // running, the only kind that may have one (one request each: not for every kept job).
    report.sweptFiles +=
      record.status === 'running'
        ? await removeUnfinishedWrites(files, id)
        : await files.local.removeUnfinished(files.keys.prefix(id));
    if (record.status === 'running') {
      const manifest = await store.readManifest(id);
      if (manifest && (await artifactMatches(manifest))) {
        // Died after the file and its manifest were committed, before the record said so.
        record = { ...record, ...doneChange(manifest) };
        await rm(files.input(id), { force: true });
        await store.save(record);
        report.done += 1;
      } else {
        record = await options.lifecycle.failed(record, verdictOf(new InterruptedError()));
        report.interrupted += 1;
      }
    } else if (record.status === 'queued') {
      if ((await sizeOf(files.input(id))) !== undefined) {
        report.queued += 1;
      } else {
        record = await options.lifecycle.failed(record, verdictOf(new InterruptedError()));
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
        record = await options.lifecycle.failed(record, verdictOf(new ArtifactLostError()));
        report.lost += 1;
      }
    }
    onRecovered(record);
  }

  const ids = await store.ids();
  let next = 0;
  let checked = 0;
  const checker = async () => {
    while (next < ids.length && signal?.aborted !== true) {
      const id = ids[next] as string;
      next += 1;
      try {
        await recoverJob(id);
      } catch (error) {
        report.unchecked += 1;
        options.onJobError?.(id, error);
      }
      checked += 1;
      options.onProgress?.(checked, ids.length);
    }
  };
  options.onProgress?.(0, ids.length);
  await Promise.all(Array.from({ length: options.concurrency ?? 32 }, checker));
  return report;
}

/**
 * The file is there with the manifest's size. Its sha256 is not recomputed: that would read every
 * kept file at each boot; the size catches a truncated or missing file, and the commit (a rename,
 * or a multipart upload's completion) guarantees it was whole.
 */
async function artifactMatchesIn(
  files: FileJobStore['files'],
  manifest: JobManifest,
): Promise<boolean> {
  const head = await files.artifacts.head(files.keys.artifact(manifest.id, manifest.format));
  return head?.size === manifest.bytes;
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}
