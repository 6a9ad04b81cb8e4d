import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sweepExpiredRunFiles } from '../src/exports/sweep-expired-run-files.js';

const folders: string[] = [];

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'run-files-'));
  folders.push(folder);
  return folder;
}

const cutoff = Date.parse('2030-01-01T00:00:00.000Z');

/** Writes a file last modified `offsetMs` after the cutoff. */
async function fileAt(folder: string, name: string, offsetMs: number): Promise<void> {
  await writeFile(join(folder, name), 'x');
  const time = new Date(cutoff + offsetMs);
  await utimes(join(folder, name), time, time);
}

describe('sweepExpiredRunFiles', () => {
  it('deletes the /export/run files written before the cutoff and says how many', async () => {
    const folder = tempFolder();
    const [oldCsv, oldPdf, oldXlsx, newCsv] = [
      `${randomUUID()}.csv`,
      `${randomUUID()}.pdf`,
      `${randomUUID()}.xlsx`,
      `${randomUUID()}.csv`,
    ];
    await fileAt(folder, oldCsv, -60_000);
    await fileAt(folder, oldPdf, -1);
    await fileAt(folder, oldXlsx, -1);
    await fileAt(folder, newCsv, 60_000);
    expect(await sweepExpiredRunFiles(folder, cutoff)).toBe(3);
    expect(await readdir(folder)).toEqual([newCsv]);
  });

  it('deletes a file written exactly at the cutoff', async () => {
    const folder = tempFolder();
    await fileAt(folder, `${randomUUID()}.csv`, 0);
    expect(await sweepExpiredRunFiles(folder, cutoff)).toBe(1);
  });

  it('leaves every other name alone, however old', async () => {
    const folder = tempFolder();
    const others = [
      'notes.csv',
      `${randomUUID()}.docx`,
      `${randomUUID().toUpperCase()}.csv`,
      `.${randomUUID()}.csv.${randomUUID()}.partial`,
      `${randomUUID()}.csv.bak`,
    ];
    for (const name of others) await fileAt(folder, name, -60_000);
    await mkdir(join(folder, 'jobs'));
    expect(await sweepExpiredRunFiles(folder, cutoff)).toBe(0);
    expect((await readdir(folder)).sort()).toEqual([...others, 'jobs'].sort());
  });

  it('answers 0 for an empty folder', async () => {
    expect(await sweepExpiredRunFiles(tempFolder(), cutoff)).toBe(0);
  });
});
