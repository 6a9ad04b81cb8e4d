import { beforeAll, describe, expect, it } from 'vitest';
import { hasCommand, pdftotext, runOnPdf } from './test-helpers/external-tools.js';
import { numberedRecords, renderPdf } from './test-helpers/render-pdf.js';

const hasQpdf = hasCommand('qpdf');
const hasPdftotext = hasCommand('pdftotext');

describe('createPdfStream: read by other tools', () => {
  let pdf: Buffer;

  beforeAll(async () => {
    pdf = await renderPdf(numberedRecords(300), { title: 'Çeyrek raporu', meta: ['User: alice'] });
  });

  it.skipIf(!hasQpdf)('passes qpdf --check', () => {
    const result = runOnPdf(pdf, 'qpdf', (path) => ['--check', path]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.skipIf(!hasPdftotext)(
    'reads "Page 2 of M" on page 2 with pdftotext, M drawn from the form',
    () => {
      const pages = (pdftotext(pdf).match(/\f/g) ?? []).length;
      expect(pages).toBeGreaterThan(2);
      expect(pdftotext(pdf, 2)).toMatch(new RegExp(`Page 2 of ${pages}\\s*$`));
    },
  );

  it.skipIf(!hasPdftotext)('reads the header and rows as a table with pdftotext', () => {
    const lines = pdftotext(pdf, 1)
      .split('\n')
      .map((line) => line.trim().split(/\s{2,}/));
    expect(lines).toContainEqual(['id', 'name', 'amount']);
    expect(lines).toContainEqual(['1', 'name 1', '1.5']);
  });
});
