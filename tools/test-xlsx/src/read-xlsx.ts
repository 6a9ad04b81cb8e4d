import { execFile } from 'node:child_process';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
// Beside src/ and dist/ alike: the package's root.
const readerScript = fileURLToPath(new URL('../read-xlsx.py', import.meta.url));
/** Debian's Python, which has python3-openpyxl; the `python3` on PATH may be another one. */
export const debianPython = '/usr/bin/python3';

export interface ReadCell {
  type: 'int' | 'float' | 'str' | 'bool' | 'datetime' | 'NoneType';
  value: unknown;
}

export interface ReadSheet {
  title: string;
  rows: ReadCell[][];
  freezePanes: string | null;
  autoFilter: string | null;
  boldHeader: boolean[];
  numberFormats: string[][];
  widths: Record<string, number>;
}

/** A workbook as openpyxl reads it, and whether each part is well-formed XML to minidom. */
export interface ReadWorkbook {
  sheets: ReadSheet[];
  title: string | null;
  creator: string | null;
  /** `[name, localSheetId, hidden, attr_text]` of each defined name. */
  definedNames: Array<[string, number | null, boolean | null, string]>;
  parts: Record<string, string>;
}

/**
 * Opens the workbook with openpyxl, a reader that shares no code with the writer. Throws,
 * naming the package to install, when Debian's python3-openpyxl is missing: never a skip.
 */
export async function readXlsx(bytes: Uint8Array): Promise<ReadWorkbook> {
  await access(debianPython).catch(() => {
    throw new Error(`${debianPython} is missing: install python3-openpyxl (apt-get)`);
  });
  const folder = await mkdtemp(join(tmpdir(), 'xlsx-read-'));
  try {
    const path = join(folder, 'book.xlsx');
    await writeFile(path, bytes);
    const { stdout } = await run(debianPython, [readerScript, path], { maxBuffer: 1024 ** 3 });
    return JSON.parse(stdout) as ReadWorkbook;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    if (stderr.includes("No module named 'openpyxl'")) {
      throw new Error(`openpyxl is missing from ${debianPython}: install python3-openpyxl`);
    }
    throw error;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** The value of every cell of a sheet, as openpyxl gives them. */
export function values(sheet: ReadSheet | undefined): unknown[][] {
  return (sheet?.rows ?? []).map((row) => row.map((cell) => cell.value));
}
