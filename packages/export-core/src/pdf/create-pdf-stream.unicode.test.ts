import { beforeAll, describe, expect, it } from 'vitest';
import { hasCommand, pdftotext, runOnPdf } from './test-helpers/external-tools.js';
import { pageAt, type ReadPdf, readPdf } from './test-helpers/read-pdf.js';
import { renderPdf } from './test-helpers/render-pdf.js';

const samples = {
  Turkish: 'Ağır şoför çiçek ığüşöç İĞŞÜÖÇ İstanbul',
  German: 'Größe, Straße, Äpfel über Öl',
  French: 'Noël à l’hôpital, ça coûte une œuvre',
  Polish: 'Zażółć gęślą jaźń, Łódź',
  Cyrillic: 'Съешь же ещё этих мягких булок',
  Greek: 'Ξεσκεπάζω την ψυχοφθόρα βδελυγμία',
};

const records = Object.entries(samples).map(([language, text]) => ({ language, text }));
const columns = ['language', { key: 'text', width: 400 }];

describe('createPdfStream: Unicode text', () => {
  let pdf: Buffer;
  let report: ReadPdf;

  beforeAll(async () => {
    pdf = await renderPdf(records, { columns, title: 'Müşteri listesi — Ağustos' });
    report = await readPdf(pdf);
  });

  it.each(Object.entries(samples))('%s text reads back unchanged (pdfjs)', (_, text) => {
    expect(pageAt(report, 0).items.map((item) => item.text)).toContain(text);
  });

  it.skipIf(!hasCommand('pdftotext'))(
    'Turkish, German, French, Polish, Cyrillic and Greek read back unchanged (pdftotext)',
    () => {
      const text = pdftotext(pdf);
      for (const sample of Object.values(samples)) expect(text).toContain(sample);
    },
  );

  it('keeps a Turkish title in the title block and the metadata', () => {
    expect(pageAt(report, 0).text.startsWith('Müşteri listesi — Ağustos Generated')).toBe(true);
    expect(report.info.Title).toBe('Müşteri listesi — Ağustos');
  });

  it('embeds the font subset with its ToUnicode map, not a standard font', () => {
    expect(pdf.includes('/FontFile2')).toBe(true);
    expect(pdf.includes('/ToUnicode')).toBe(true);
    expect(pdf.includes('Helvetica')).toBe(false);
  });
});

describe('createPdfStream: characters the font lacks', () => {
  const record = { text: 'price 価格 ok' };

  it('shows them as U+FFFD and still writes a valid PDF', async () => {
    const pdf = await renderPdf([record]);
    const page = pageAt(await readPdf(pdf), 0);
    expect(page.items.map((item) => item.text)).toContain('price \uFFFD\uFFFD ok');
  });

  it.skipIf(!hasCommand('qpdf'))('passes qpdf --check with them', async () => {
    const pdf = await renderPdf([record]);
    expect(runOnPdf(pdf, 'qpdf', (path) => ['--check', path]).status).toBe(0);
  });
});
