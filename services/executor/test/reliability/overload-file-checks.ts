import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleRecord } from '../real-server/sample-records.js';

const csvHeader = 'id,timestamp,value,category,status';

/** The CSV line of sample record `id`: its values contain no comma or quote to escape. */
function csvLineOf(id: number): string {
  const { timestamp, value, category, status } = sampleRecord(id);
  return `${id},${timestamp},${value},${category},${status}`;
}

/**
 * Why `text` is not the complete CSV of sample records 1 to `rows` (BOM or not, CRLF), or
 * undefined when it is: the header, then every record on its own line, in order, nothing after.
 */
export function csvProblem(text: string, rows: number): string | undefined {
  const lines = text.replace(/^\uFEFF/, '').split('\r\n');
  if (lines.at(-1) !== '') return 'no line break after the last line';
  if (lines.length !== rows + 2) return `${lines.length - 2} records instead of ${rows}`;
  if (lines[0] !== csvHeader) return `the header is ${lines[0]}`;
  for (let id = 1; id <= rows; id += 1) {
    if (lines[id] !== csvLineOf(id)) return `line ${id + 1} is ${lines[id]}`;
  }
  return undefined;
}

/** Why `body` is not a whole PDF file: it must start with `%PDF-` and end with `%%EOF`. */
export function pdfProblem(body: Buffer): string | undefined {
  if (body.subarray(0, 5).toString('latin1') !== '%PDF-') return 'no %PDF- at the start';
  if (!body.subarray(-32).toString('latin1').trimEnd().endsWith('%%EOF'))
    return 'no %%EOF at the end';
  return undefined;
}

/** Whether qpdf is on the PATH, to check PDF structure beyond its first and last bytes. */
export function hasQpdf(): boolean {
  return spawnSync('qpdf', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** `qpdf --check` on `body`: its exit status (0 = no problem) and what it printed. */
export function qpdfCheck(body: Buffer): { status: number | null; output: string } {
  const folder = mkdtempSync(join(tmpdir(), 'overload-qpdf-'));
  try {
    const path = join(folder, 'export.pdf');
    writeFileSync(path, body);
    const checked = spawnSync('qpdf', ['--check', path], { encoding: 'utf8', timeout: 30_000 });
    return { status: checked.status, output: `${checked.stdout}${checked.stderr}` };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** `export_requests_total` summed over formats, by outcome, from Prometheus text. */
export function requestTotalsByOutcome(metricsText: string): Record<string, number> {
  const totals: Record<string, number> = {};
  const sample = /^export_requests_total\{([^}]*)\} (\S+)$/gm;
  for (const [, labels = '', value = '0'] of metricsText.matchAll(sample)) {
    const outcome = /outcome="([^"]*)"/.exec(labels)?.[1] ?? 'unknown';
    totals[outcome] = (totals[outcome] ?? 0) + Number(value);
  }
  return totals;
}
