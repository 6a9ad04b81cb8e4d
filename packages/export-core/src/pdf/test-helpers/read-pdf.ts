import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** A run of text as pdfjs extracts it, with where it starts and how wide it is, in points. */
export interface PdfTextItem {
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  /** The size the text is drawn at, in points. */
  readonly fontSize: number;
}

export interface PdfPageText {
  readonly width: number;
  readonly height: number;
  readonly items: readonly PdfTextItem[];
  /** The items joined by single spaces, whitespace collapsed: "id name 1 Ada …". */
  readonly text: string;
}

export interface ReadPdf {
  readonly pages: readonly PdfPageText[];
  readonly info: Readonly<Record<string, unknown>>;
}

/** A page by 0-based index (negative from the end), failing the test when there is none. */
export function pageAt(report: ReadPdf, index: number): PdfPageText {
  const page = report.pages.at(index);
  if (!page) throw new Error(`expected a page ${index}, the PDF has ${report.pages.length}`);
  return page;
}

/** The first text item on the page that matches, failing the test when there is none. */
export function itemMatching(page: PdfPageText, test: (text: string) => boolean): PdfTextItem {
  const item = page.items.find((candidate) => test(candidate.text));
  if (!item) throw new Error('expected a matching text item');
  return item;
}

/** Reads a PDF back the way a viewer does (pdfjs), for tests to assert on its text. */
export async function readPdf(bytes: Uint8Array): Promise<ReadPdf> {
  const document = await getDocument({
    data: new Uint8Array(bytes),
    verbosity: 0,
    useSystemFonts: false,
  }).promise;
  try {
    const pages: PdfPageText[] = [];
    for (let number = 1; number <= document.numPages; number += 1) {
      const page = await document.getPage(number);
      const [, , width, height] = page.view as [number, number, number, number];
      const content = await page.getTextContent();
      const items: PdfTextItem[] = [];
      for (const item of content.items) {
        if (!('str' in item) || item.str.trim() === '') continue;
        items.push({
          text: item.str,
          x: item.transform[4],
          y: item.transform[5],
          width: item.width,
          fontSize: Math.abs(item.transform[3]),
        });
      }
      const text = items
        .map((item) => item.text)
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim();
      pages.push({ width, height, items, text });
    }
    const { info } = await document.getMetadata();
    return { pages, info: info as Record<string, unknown> };
  } finally {
    await document.destroy();
  }
}
