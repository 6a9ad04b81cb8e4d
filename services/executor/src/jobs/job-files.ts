import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ExportFormat, PoolBytes } from '@org/export-core';
import { exportContentTypes } from '@org/export-fastify';
import type { ArtifactStore, ArtifactUpload } from '../artifacts/artifact-store.js';
import {
  createLocalArtifactStore,
  type LocalArtifactStore,
} from '../artifacts/local-artifact-store.js';

/**
 * Where a job's files live. Its local folder, `<EXPORT_DIR>/jobs/<id>`, holds its record and
 * webhook (embedded backend) and its input while it is spooled. Its kept input, finished file
 * and manifest are objects under `jobs/<id>/` in a store: the same folder by default, or an S3
 * bucket (EXPORT_STORE=s3). Ids come from randomUUID and are looked up in memory before any path
 * or key is built, so no request text reaches the file system or the bucket.
 */
export interface JobFiles {
  readonly root: string;
  folder(id: string): string;
  record(id: string): string;
  /** Where the submission is spooled, before it is kept (see keepInput). */
  input(id: string): string;
  /** The manifest of its file, beside its record (embedded backend). */
  manifest(id: string): string;
  /** The job's completion webhook, while it is pending and after. */
  webhook(id: string): string;
  /** EXPORT_DIR as a store: the job folders' temp files are its unfinished writes. */
  readonly local: LocalArtifactStore;
  /** Where inputs are kept once accepted: read by whichever process runs the job. */
  readonly inputs: ArtifactStore;
  /** Where finished files live, and (in a cluster) their manifests. */
  readonly artifacts: ArtifactStore;
  readonly keys: JobKeys;
}

/** A job's objects in the stores. */
export interface JobKeys {
  /** Every object of the job starts with it: `jobs/<id>/`. */
  prefix(id: string): string;
  input(id: string): string;
  artifact(id: string, format: ExportFormat): string;
  manifest(id: string): string;
}

export const jobKeys: JobKeys = {
  prefix: (id) => `jobs/${id}/`,
  input: (id) => `jobs/${id}/input.ndjson`,
  artifact: (id, format) => `jobs/${id}/export.${format}`,
  manifest: (id) => `jobs/${id}/manifest.json`,
};

export interface JobStores {
  /** The finished files' store; EXPORT_DIR itself when not given. */
  artifacts?: ArtifactStore | undefined;
  /**
   * Whether inputs go to the artifacts' store too: a cluster's, where another replica may run
   * the job. Otherwise they stay in EXPORT_DIR, where this process reads them.
   */
  sharedInputs?: boolean | undefined;
}

export function jobFilesUnder(exportDirectory: string, stores: JobStores = {}): JobFiles {
  const root = join(exportDirectory, 'jobs');
  const folder = (id: string) => join(root, id);
  const local = createLocalArtifactStore(exportDirectory);
  const artifacts = stores.artifacts ?? local;
  return {
    root,
    folder,
    record: (id) => join(folder(id), 'job.json'),
    input: (id) => local.pathOf(jobKeys.input(id)),
    manifest: (id) => local.pathOf(jobKeys.manifest(id)),
    webhook: (id) => join(folder(id), 'webhook.json'),
    local,
    inputs: stores.sharedInputs ? artifacts : local,
    artifacts,
    keys: jobKeys,
  };
}

function localStoreOf(store: ArtifactStore): LocalArtifactStore | undefined {
  return store.kind === 'local' ? (store as LocalArtifactStore) : undefined;
}

/**
 * Keeps a spooled input where the job will be run from: already in place in a local store,
 * uploaded (and its local folder removed) otherwise.
 */
export async function keepInput(files: JobFiles, id: string): Promise<void> {
  if (localStoreOf(files.inputs)) return;
  const upload = files.inputs.begin(files.keys.input(id), { contentType: 'application/x-ndjson' });
  try {
    await pipeline(createReadStream(files.input(id)), upload.writable);
    await upload.complete();
  } catch (error) {
    await upload.abort();
    throw error;
  }
  // Nothing else of the job is local then (its record is in Redis): no empty folder stays.
  await rm(files.folder(id), { recursive: true, force: true });
}

/**
 * A kept input as the export pool reads it: a file a worker opens itself, or the object's bytes,
 * fetched only once the export starts (a queued job holds no connection).
 */
export function inputSourceOf(files: JobFiles, id: string): PoolBytes {
  const key = files.keys.input(id);
  const local = localStoreOf(files.inputs);
  if (local) return { file: local.pathOf(key) };
  const { inputs } = files;
  return {
    async *[Symbol.asyncIterator]() {
      yield* await inputs.read(key);
    },
  };
}

/** Where a job's export writes: a path the export library commits itself, or an upload. */
export type JobDestination = string | { upload: () => ArtifactUpload };

export function destinationOf(
  files: JobFiles,
  job: { id: string; format: ExportFormat },
): JobDestination {
  const key = files.keys.artifact(job.id, job.format);
  const local = localStoreOf(files.artifacts);
  if (local) return local.pathOf(key);
  const { artifacts } = files;
  return { upload: () => artifacts.begin(key, { contentType: exportContentTypes[job.format] }) };
}

/**
 * Removes a job's input and its file: what a failed or cancelled job no longer needs. Its
 * folder and record stay.
 */
export async function removeRunFiles(
  files: JobFiles,
  job: { id: string; format: ExportFormat },
): Promise<void> {
  // The spool itself when inputs are local; a bucket's input has had its spool removed already.
  await files.inputs.remove(files.keys.input(job.id));
  await files.artifacts.remove(files.keys.artifact(job.id, job.format));
}

/** Removes everything of a job: its folder and its objects. */
export async function removeJobFiles(files: JobFiles, id: string): Promise<void> {
  await rm(files.folder(id), { recursive: true, force: true });
  const prefix = files.keys.prefix(id);
  for (const store of new Set([files.inputs, files.artifacts])) await store.removeAll(prefix);
}

/**
 * Removes what a killed process left of a job's writes: temp files in its folder, unfinished
 * uploads in the stores. `olderThanMs` as ArtifactStore.removeUnfinished's.
 */
export async function removeUnfinishedWrites(
  files: JobFiles,
  id: string,
  options: { olderThanMs?: number } = {},
): Promise<number> {
  const prefix = files.keys.prefix(id);
  let removed = 0;
  for (const store of new Set([files.local, files.inputs, files.artifacts])) {
    removed += await store.removeUnfinished(prefix, options);
  }
  return removed;
}
