import { execFile } from 'node:child_process';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';

const run = promisify(execFile);
/** Debian's LibreOffice Calc without a display (package libreoffice-calc-nogui). */
export const libreOffice = '/usr/bin/soffice';
// LibreOffice's CSV filter options: comma, double quote, UTF-8 (76), from line 1, cells' values
// rather than formulas, and -1: every sheet, each to its own file.
const csvFilter = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1';

export interface LibreOfficeSheet {
  name: string;
  /** Each cell as LibreOffice shows it, with Excel's `_xHHHH_` escapes decoded. */
  rows: string[][];
}

/**
 * Opens the workbook with LibreOffice Calc, a second reader that shares no code with the writer
 * (nor with openpyxl), and gives every sheet as the text of its cells. A workbook it cannot open
 * fails here. Throws, naming the package to install, when LibreOffice is missing: never a skip.
 */
export async function readWithLibreOffice(bytes: Uint8Array): Promise<LibreOfficeSheet[]> {
  await access(libreOffice).catch(() => {
    throw new Error(`${libreOffice} is missing: install libreoffice-calc-nogui (apt-get)`);
  });
  const folder = await mkdtemp(join(tmpdir(), 'xlsx-libreoffice-'));
  try {
    const path = join(folder, 'book.xlsx');
    await writeFile(path, bytes);
    // A profile of its own: two LibreOffice processes cannot share one.
    const profile = pathToFileURL(join(folder, 'profile')).href;
    const { stdout, stderr } = await run(
      libreOffice,
      [
        '--headless',
        '--norestore',
        `-env:UserInstallation=${profile}`,
        '--convert-to',
        csvFilter,
        '--outdir',
        folder,
        path,
      ],
      { timeout: 120_000 },
    );
    const written = [...stdout.matchAll(/^Writing sheet (.+) -> (.+)$/gm)];
    if (written.length === 0) {
      // Its errors only: it also warns that Java is missing, which does not matter here.
      const errors = stderr.split('\n').filter((line) => line.startsWith('Error'));
      throw new Error(`LibreOffice opened no workbook: ${errors.join('; ') || stderr.trim()}`);
    }
    return await Promise.all(
      written.map(async ([, name = '', csvPath = '']) => ({
        name,
        rows: parse(await readFile(csvPath), { relax_column_count: true }) as string[][],
      })),
    );
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
