import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileJobStore, type FileJobStore } from '../src/embedded/file-job-store.js';
import { jobFilesUnder } from '../src/jobs/job-files.js';
import { type JobManifest, type JobRecord, queuedJobRecord } from '../src/jobs/job-record.js';

const folders: string[] = [];

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function storeInTempFolder(): FileJobStore {
  const folder = mkdtempSync(join(tmpdir(), 'job-store-'));
  folders.push(folder);
  return createFileJobStore(jobFilesUnder(folder));
}

function recordOf(id: string, changes: Partial<JobRecord> = {}): JobRecord {
  return {
    ...queuedJobRecord({
      id,
      owner: null,
      format: 'csv',
      options: { csvProfile: 'excel' },
      columns: ['id'],
      totalRows: 1,
      createdAt: '2030-01-01T00:00:00.000Z',
    }),
    ...changes,
  };
}

/** A store whose job `id` has its folder, as enqueue makes it before the first save. */
async function storeWithFolder(id: string): Promise<FileJobStore> {
  const store = storeInTempFolder();
  await mkdir(store.files.folder(id), { recursive: true });
  return store;
}

describe('createFileJobStore', () => {
  it('saves a record as job.json and reads it back with its folder', async () => {
    const store = await storeWithFolder('job-1');
    const record = recordOf('job-1', { owner: 'alice' });
    await store.save(record);
    expect(JSON.parse(await readFile(store.files.record('job-1'), 'utf8'))).toEqual(record);
    expect(await store.ids()).toEqual(['job-1']);
    expect(await store.read('job-1')).toEqual(record);
  });

  it('saves the record as it was when save was called, not as it is later', async () => {
    const store = await storeWithFolder('job-1');
    const record = recordOf('job-1');
    const saved = store.save(record);
    record.status = 'running';
    await saved;
    expect((await store.read('job-1'))?.status).toBe('queued');
  });

  it('lists no job before the jobs folder exists', async () => {
    expect(await storeInTempFolder().ids()).toEqual([]);
  });

  it('reads a folder with no record, or an unreadable one, as null', async () => {
    const store = await storeWithFolder('empty');
    await mkdir(store.files.folder('broken'));
    await writeFile(store.files.record('broken'), '{"id":');
    expect((await store.ids()).sort()).toEqual(['broken', 'empty']);
    expect(await store.read('broken')).toBeNull();
    expect(await store.read('empty')).toBeNull();
  });

  it('lists only folders, not files beside them', async () => {
    const store = await storeWithFolder('job-1');
    await store.save(recordOf('job-1'));
    await writeFile(join(store.files.root, 'stray.txt'), 'x');
    expect(await store.ids()).toEqual(['job-1']);
  });

  it('lands the saves of one job in the order they were asked for, leaving no temp file', async () => {
    const store = await storeWithFolder('job-1');
    const saves = Array.from({ length: 20 }, (_, index) =>
      store.save(recordOf('job-1', { rows: index })),
    );
    await Promise.all(saves);
    expect((await store.read('job-1'))?.rows).toBe(19);
    expect(await readdir(store.files.folder('job-1'))).toEqual(['job.json']);
  });

  it('resolves flush once every save asked for so far has landed', async () => {
    const store = await storeWithFolder('job-1');
    await mkdir(store.files.folder('job-2'));
    void store.save(recordOf('job-1', { status: 'done' }));
    void store.save(recordOf('job-2', { status: 'failed' }));
    await store.flush();
    const records = await Promise.all(['job-1', 'job-2'].map((id) => store.read(id)));
    const statuses = records.map((record) => record?.status).sort();
    expect(statuses).toEqual(['done', 'failed']);
  });

  it('removes a job folder only after the saves asked for before it', async () => {
    const store = await storeWithFolder('job-1');
    const saved = store.save(recordOf('job-1'));
    const removed = store.remove('job-1');
    await expect(saved).resolves.toBeUndefined();
    await removed;
    expect(await readdir(store.files.root)).toEqual([]);
  });

  it('removes a folder that is already gone without failing', async () => {
    const store = storeInTempFolder();
    await expect(store.remove('never-was')).resolves.toBeUndefined();
  });

  it('goes on saving after a save that failed', async () => {
    const store = storeInTempFolder();
    await expect(store.save(recordOf('job-1'))).rejects.toMatchObject({ code: 'ENOENT' });
    await mkdir(store.files.folder('job-1'), { recursive: true });
    await store.save(recordOf('job-1', { status: 'done' }));
    expect((await store.read('job-1'))?.status).toBe('done');
  });

  it('writes the manifest beside the record and reads it back', async () => {
    const store = await storeWithFolder('job-1');
    const manifest: JobManifest = {
      id: 'job-1',
      format: 'csv',
      rows: 2,
      bytes: 51,
      sha256: 'ab'.repeat(32),
      columns: ['id'],
      owner: null,
      createdAt: '2030-01-01T00:00:00.000Z',
      finishedAt: '2030-01-01T00:00:01.000Z',
    };
    await store.writeManifest(manifest);
    expect(await store.readManifest('job-1')).toEqual(manifest);
    expect(await readdir(store.files.folder('job-1'))).toEqual(['manifest.json']);
  });

  it('reads a missing manifest as null', async () => {
    const store = await storeWithFolder('job-1');
    expect(await store.readManifest('job-1')).toBeNull();
  });
});
