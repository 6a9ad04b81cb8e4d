import { readdir, readFile } from 'node:fs/promises';
import { type JobFiles, removeJobFiles } from '../jobs/job-files.js';
import type { JobManifest, JobRecord } from '../jobs/job-record.js';
import { writeJsonFile } from '../jobs/write-json-file.js';

/** Job records on local disk: one JSON file per job, replaced atomically on every change. */
export interface FileJobStore {
  readonly files: JobFiles;
  /** The id of every job folder, in no particular order. */
  ids(): Promise<string[]>;
  /**
   * A job's record, or `null` when it is missing or unreadable (a submission that died before
   * it was accepted).
   */
  read(id: string): Promise<JobRecord | null>;
  /** Saves a snapshot; saves of one job land in the order they were asked for. */
  save(record: JobRecord): Promise<void>;
  writeManifest(manifest: JobManifest): Promise<void>;
  readManifest(id: string): Promise<JobManifest | null>;
  /** Removes the job's folder and everything in it, and its objects in the store. */
  remove(id: string): Promise<void>;
  /** Resolves once every save asked for so far has landed. */
  flush(): Promise<void>;
}

export function createFileJobStore(files: JobFiles): FileJobStore {
  const lastSave = new Map<string, Promise<void>>();

  // One chain per job: two renames racing could otherwise leave the older snapshot in place.
  function enqueueWrite(id: string, write: () => Promise<void>): Promise<void> {
    const previous = lastSave.get(id) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(write);
    lastSave.set(id, next);
    const forget = () => {
      if (lastSave.get(id) === next) lastSave.delete(id);
    };
    next.then(forget, forget);
    return next;
  }

  return {
    files,
    async ids() {
      const entries = await readdir(files.root, { withFileTypes: true }).catch(
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return [];
          throw error;
        },
      );
      return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    },
    read(id) {
      return readJson<JobRecord>(files.record(id));
    },
    save(record) {
      const snapshot = structuredClone(record);
      return enqueueWrite(record.id, () => writeJsonFile(files.record(record.id), snapshot));
    },
    writeManifest(manifest) {
      return writeJsonFile(files.manifest(manifest.id), manifest);
    },
    readManifest(id) {
      return readJson<JobManifest>(files.manifest(id));
    },
    remove(id) {
      return enqueueWrite(id, () => removeJobFiles(files, id));
    },
    async flush() {
      await Promise.allSettled([...lastSave.values()]);
    },
  };
}

async function readJson<Value>(path: string): Promise<Value | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Value;
  } catch {
    return null;
  }
}
