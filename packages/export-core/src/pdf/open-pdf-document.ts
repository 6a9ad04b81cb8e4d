import PDFDocument from 'pdfkit';
import { ExportError } from '../errors.js';
import { GlyphCache } from './glyph-cache.js';
import type { NormalizedPdfOptions } from './normalize-pdf-options.js';
import { currentFont, type PdfKitDocument, type PdfKitFont } from './pdfkit-internals.js';
import type { FontFile } from './read-font-file.js';

/** A font embedded in the document, with the cache that encodes text in it. */
export interface FontFace {
  readonly font: PdfKitFont;
  readonly glyphs: GlyphCache;
}

export interface OpenedPdfDocument {
  readonly document: PdfKitDocument;
  readonly regular: FontFace;
  readonly bold: FontFace;
}

export const pdfCreator = '@org/export-core';

/**
 * Creates the pdfkit document (no page yet: the page size waits for the measured columns) with
 * its metadata and both fonts. A font file fontkit cannot read fails here, naming its option.
 * Never `bufferPages`: each page is written out when the next one starts.
 */
export function openPdfDocument(options: NormalizedPdfOptions): OpenedPdfDocument {
  const document: PdfKitDocument = new PDFDocument({
    autoFirstPage: false,
    bufferPages: false,
    // Without it pdfkit loads Helvetica, which the export never uses.
    font: null as unknown as string,
    displayTitle: true,
    info: {
      Title: options.title,
      ...(options.author === undefined ? {} : { Author: options.author }),
      Creator: pdfCreator,
      CreationDate: options.generatedAt,
    },
  });
  return {
    document,
    regular: openFontFace(document, options.font, 'pdf.font'),
    bold: openFontFace(document, options.boldFont, 'pdf.boldFont'),
  };
}

function openFontFace(document: PdfKitDocument, file: FontFile, option: string): FontFace {
  try {
    document.font(file.data);
    const font = currentFont(document);
    return { font, glyphs: new GlyphCache(font) };
  } catch (error) {
    throw new ExportError(
      'EXPORT_INVALID_OPTION',
      `option \`${option}\` must be a TrueType or OpenType font that can be embedded, got ${JSON.stringify(file.path)}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
