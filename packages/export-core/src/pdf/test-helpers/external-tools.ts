import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether a command-line tool is installed (CI installs qpdf and poppler-utils). */
export function hasCommand(command: string): boolean {
  return spawnSync(command, ['-v'], { stdio: 'ignore' }).error === undefined;
}

/** Runs a tool on the PDF written to a temporary file; returns its exit status and output. */
export function runOnPdf(
  pdf: Uint8Array,
  command: string,
  args: (path: string) => string[],
): { status: number | null; stdout: string; stderr: string } {
  const directory = mkdtempSync(join(tmpdir(), 'export-core-pdf-'));
  try {
    const path = join(directory, 'export.pdf');
    writeFileSync(path, pdf);
    const result = spawnSync(command, args(path), { encoding: 'utf8' });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** The text poppler's pdftotext reads from a page (1-based), or from every page. */
export function pdftotext(pdf: Uint8Array, page?: number): string {
  const range = page === undefined ? [] : ['-f', String(page), '-l', String(page)];
  return runOnPdf(pdf, 'pdftotext', (path) => [...range, '-layout', '-enc', 'UTF-8', path, '-'])
    .stdout;
}
