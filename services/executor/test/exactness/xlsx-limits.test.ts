import { readWithLibreOffice, readXlsx, values } from '@org/test-xlsx';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../build-test-app.js';
import { waitForJobStatus } from '../job-helpers.js';

/** Submits one XLSX job and gives its answer, and its file and workbook once done. */
async function xlsxJob(data: unknown[]) {
  const app = await buildTestApp();
  const submitted = await app.inject({
    method: 'POST',
    url: '/export/jobs',
    payload: { format: 'xlsx', data },
  });
  if (submitted.statusCode !== 202) return { submitted, workbook: undefined, job: undefined };
  const job = await waitForJobStatus(app, submitted.json().id, ['done', 'failed'], {
    timeoutMs: 30_000,
  });
  const download = await app.inject({ method: 'GET', url: job.links.download });
  return {
    submitted,
    job,
    file: download.rawPayload,
    workbook: await readXlsx(download.rawPayload),
  };
}

describe('hostile input to an XLSX export', () => {
  it('cuts a cell longer than Excel holds to 32,767 characters with "…", and reports it', async () => {
    const { job, workbook } = await xlsxJob([{ id: 1, note: 'x'.repeat(900_000) }]);
    expect(job).toMatchObject({
      status: 'done',
      truncatedCells: { count: 1, columns: ['note'] },
    });
    const note = values(workbook?.sheets[0])[1]?.[1] as string;
    expect(note).toHaveLength(32_767);
    expect(note.endsWith('…')).toBe(true);
  });

  it('refuses a record of 10 MB with a coded 413, keeping nothing', async () => {
    const { submitted } = await xlsxJob([{ id: 1, note: 'x'.repeat(10_000_000) }]);
    expect(submitted.statusCode).toBe(413);
    expect(submitted.json()).toMatchObject({ code: 'EXECUTOR_RECORD_TOO_LARGE' });
  });

  it('writes 5,000 columns, and refuses more than a sheet holds with a 400 before the job is kept', async () => {
    const wide = (count: number) =>
      Object.fromEntries(Array.from({ length: count }, (_, index) => [`c${index}`, index]));
    const { job, workbook } = await xlsxJob([wide(5_000)]);
    expect(job?.status).toBe('done');
    expect(values(workbook?.sheets[0])[1]).toHaveLength(5_000);
    expect(values(workbook?.sheets[0])[1]?.[4_999]).toBe(4_999);

    const { submitted } = await xlsxJob([wide(16_385)]);
    expect(submitted.statusCode).toBe(400);
    expect(submitted.json()).toMatchObject({
      code: 'EXPORT_TABLE_TOO_WIDE',
      message: 'the table has 16385 columns, and an XLSX sheet holds at most 16,384',
    });
  });

  it('keeps the workbook valid whatever control characters the text holds', async () => {
    const text = 'a\u0000b\u0001c\u001fd\u000be\uFFFEf';
    const { job, file, workbook } = await xlsxJob([{ text }]);
    expect(job?.status).toBe('done');
    const verdicts = Object.values(workbook?.parts ?? {});
    expect(verdicts.length).toBeGreaterThan(5);
    expect(new Set(verdicts)).toEqual(new Set(['well-formed']));
    // openpyxl 3.0 leaves Excel's _xHHHH_ escapes as they are written; a spreadsheet decodes them.
    expect(values(workbook?.sheets[0])[1]?.[0]).toBe('a_x0000_b_x0001_c_x001F_d_x000B_e_xFFFE_f');
    expect((await readWithLibreOffice(file ?? Buffer.alloc(0)))[0]?.rows[1]).toEqual([text]);
  });
});
