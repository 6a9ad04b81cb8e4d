import { rm } from 'node:fs/promises';
import type { ExportResult } from '@org/export-core';
import type { ExportOutcome } from '../exports/execute-export.js';
import type { JobEnd } from './job-end.js';
import { jobErrorOf } from './job-error.js';
import { type JobFiles, removeRunFiles } from './job-files.js';
import {
  finishedJobStatuses,
  type JobError,
  type JobManifest,
  type JobRecord,
} from './job-record.js';
import {
  doneChange,
  endedChange,
  type JobChange,
  manifestOf,
  requeuedChange,
  startedChange,
} from './job-transitions.js';

/** Where a backend keeps its records: all the job lifecycle needs of it. */
export interface JobRecordWriter {
  save(record: JobRecord): Promise<void>;
  writeManifest(manifest: JobManifest): Promise<void>;
}

export interface JobLifecycleOptions {
  records: JobRecordWriter;
  /** Job folders: the spooled input, the file and its manifest. */
  files: JobFiles;
  /** The clock, as an ISO 8601 string. */
  isoNow: () => string;
  /** Told of every job's end (its webhook), before and after the end is saved. */
  ends?: JobEndListener | undefined;
}

/** What must happen when a job ends, whichever backend ran it. */
export interface JobEndListener {
  /** Before the end is saved, so that a crash between the two still leaves it owed. */
  beforeEnd(record: JobRecord): Promise<void>;
  /** Once the end is saved. */
  afterEnd(record: JobRecord): void;
}

/**
 * What happens to a job at each step, once for every backend: which files go, what the record
 * says and in which order, so that no client sees a state a crash could take back. Each
 * method saves the record and resolves with it; nothing is changed in place.
 */
export interface JobLifecycle {
  started(record: JobRecord): Promise<JobRecord>;
  /**
   * Records how a run ended: done (manifest, input removed, then the record), requeued (stopped
   * by a shutdown), failed or cancelled (input and file removed). Rejects when it could not be
   * saved; the backend decides what that means.
   */
  ended(record: JobRecord, end: JobEnd, outcome: ExportOutcome): Promise<JobRecord>;
  /** Fails a job the process can no longer stand behind (interrupted, its file lost, orphaned). */
  failed(record: JobRecord, error: JobError): Promise<JobRecord>;
}

export function createJobLifecycle({
  records,
  files,
  isoNow,
  ends,
}: JobLifecycleOptions): JobLifecycle {
  async function commit(record: JobRecord, change: JobChange): Promise<JobRecord> {
    const next = { ...record, ...change };
    const ending = ends !== undefined && finishedJobStatuses.has(next.status);
    if (ending) await ends.beforeEnd(next);
    await records.save(next);
    if (ending) ends.afterEnd(next);
    return next;
  }

  async function done(record: JobRecord, result: ExportResult): Promise<JobRecord> {
    const manifest = manifestOf(record, result, isoNow());
    // The manifest lands before the record says done: a done job always has one.
    await records.writeManifest(manifest);
    await files.inputs.remove(files.keys.input(record.id));
    return commit(record, doneChange(manifest));
  }

  return {
    started: (record) => commit(record, startedChange(isoNow())),

    async ended(record, end, outcome) {
      if (end === 'done' && 'result' in outcome) return done(record, outcome.result);
      if (end === 'requeued') return commit(record, requeuedChange());
      await removeRunFiles(files, record);
      if (end === 'cancelled') return commit(record, endedChange('cancelled', isoNow(), null));
      const error = jobErrorOf('error' in outcome ? outcome.error : undefined);
      return commit(record, endedChange('failed', isoNow(), error));
    },

    async failed(record, error) {
      await removeRunFiles(files, record);
      await rm(files.manifest(record.id), { force: true });
      await files.artifacts.remove(files.keys.manifest(record.id));
      return commit(record, endedChange('failed', isoNow(), error));
    },
  };
}
