import { readWithLibreOffice, readXlsx, values } from '@org/test-xlsx';
import { describe, expect, it } from 'vitest';
import { buildTestAppWithFolder } from '../build-test-app.js';
import { waitForJobStatus } from '../job-helpers.js';
import { throughEveryRoute } from './export-routes.js';

// What a trading platform sends, as its JSON text: every value a spreadsheet could misread.
const records = [
  '{"orderId":1234567890123456789,"qty":5,"price":100.25,"pnl":"-3.12345678","note":"=HYPERLINK(\\"x\\")","code":"007","active":true,"trader":"İlker Şahin 李小龙 🚀"}',
  '{"orderId":2,"qty":-1,"price":0.1,"pnl":"12","note":"+1","code":"0","active":false,"trader":"Ελένη"}',
];

describe('an XLSX export, through every route', () => {
  it('is the same workbook of typed cells: numbers as numbers, text as text, never a formula', async () => {
    const answers = await throughEveryRoute({
      format: 'xlsx',
      records,
      options: { title: 'Trades' },
    });
    for (const { route, answer } of answers) {
      expect(answer, route.name).toMatchObject({ ok: true });
      if (!answer.ok) continue;
      const workbook = await readXlsx(answer.file);
      const [sheet] = workbook.sheets;
      expect(values(sheet), route.name).toEqual([
        ['orderId', 'qty', 'price', 'pnl', 'note', 'code', 'active', 'trader'],
        // Beyond a double's 15 digits: text, so no digit is lost.
        [
          '1234567890123456789',
          5,
          100.25,
          '-3.12345678',
          '=HYPERLINK("x")',
          '007',
          true,
          'İlker Şahin 李小龙 🚀',
        ],
        [2, -1, 0.1, '12', '+1', '0', false, 'Ελένη'],
      ]);
      expect(
        sheet?.rows[1]?.map((cell) => cell.type),
        route.name,
      ).toEqual(['str', 'int', 'float', 'str', 'str', 'str', 'bool', 'str']);
      expect(sheet, route.name).toMatchObject({
        freezePanes: 'A2',
        autoFilter: 'A1:H3',
        boldHeader: Array(8).fill(true),
      });
      expect(workbook.title, route.name).toBe('Trades');
      expect(Object.values(workbook.parts).every((part) => part === 'well-formed')).toBe(true);
      // A second reader, an Excel-compatible spreadsheet, shows the same cells.
      expect(await readWithLibreOffice(answer.file), route.name).toEqual([
        {
          name: 'Sheet1',
          rows: [
            ['orderId', 'qty', 'price', 'pnl', 'note', 'code', 'active', 'trader'],
            [
              '1234567890123456789',
              '5',
              '100.25',
              '-3.12345678',
              '=HYPERLINK("x")',
              '007',
              'TRUE',
              'İlker Şahin 李小龙 🚀',
            ],
            ['2', '-1', '0.1', '12', '+1', '0', 'FALSE', 'Ελένη'],
          ],
        },
      ]);
    }
  }, 60_000);

  it('is downloaded as a workbook, with its media type and an .xlsx name', async () => {
    const { app } = await buildTestAppWithFolder();
    const streamed = await app.inject({
      method: 'POST',
      url: '/export/stream',
      payload: { format: 'xlsx', user: 'alice', data: [{ id: 1 }] },
    });
    expect(streamed.statusCode).toBe(200);
    expect(streamed.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(streamed.headers['content-disposition']).toMatch(/filename="export-[^"]+\.xlsx"/);
    const workbook = await readXlsx(streamed.rawPayload);
    expect(workbook).toMatchObject({ title: 'Export', creator: 'alice' });

    const job = await app.inject({
      method: 'POST',
      url: '/export/jobs',
      payload: { format: 'xlsx', data: [{ id: 1 }] },
    });
    expect(job.statusCode).toBe(202);
    await waitForJobStatus(app, job.json().id, ['done']);
    const download = await app.inject({ method: 'GET', url: job.json().links.download });
    expect(download.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(download.headers['content-disposition']).toMatch(/\.xlsx"/);
    expect(values((await readXlsx(download.rawPayload)).sheets[0])).toEqual([['id'], [1]]);
  });
});
