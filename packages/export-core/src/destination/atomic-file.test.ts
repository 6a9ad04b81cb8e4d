import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAtomicFile, partialFileSuffix } from './atomic-file.js';

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'atomic-file-'));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

function write(stream: NodeJS.WritableStream, text: string) {
  return new Promise<void>((resolve, reject) => {
    stream.once('error', reject);
    stream.end(text, () => resolve());
  });
}

describe('openAtomicFile', () => {
  it('writes into a hidden .partial file in the same folder until commit', async () => {
    const file = await openAtomicFile(join(folder, 'report.csv'));
    await write(file.stream, 'a,b\r\n');
    const names = await readdir(folder);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(new RegExp(`^\\.report\\.csv\\..+\\${partialFileSuffix}$`));
    await file.commit();
    expect(await readdir(folder)).toEqual(['report.csv']);
    expect(await readFile(join(folder, 'report.csv'), 'utf8')).toBe('a,b\r\n');
  });

  it('replaces an existing file only at commit', async () => {
    await writeFile(join(folder, 'report.csv'), 'old');
    const file = await openAtomicFile(join(folder, 'report.csv'));
    await write(file.stream, 'new');
    expect(await readFile(join(folder, 'report.csv'), 'utf8')).toBe('old');
    await file.commit();
    expect(await readFile(join(folder, 'report.csv'), 'utf8')).toBe('new');
  });

  it('leaves nothing behind when discarded', async () => {
    const file = await openAtomicFile(join(folder, 'report.csv'));
    await write(file.stream, 'half');
    await file.discard();
    await file.discard();
    expect(await readdir(folder)).toEqual([]);
  });

  it('fails to open in a folder that does not exist', async () => {
    await expect(openAtomicFile(join(folder, 'missing', 'report.csv'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});
