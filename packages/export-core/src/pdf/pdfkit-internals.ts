import type PDFDocument from 'pdfkit';

/**
 * The parts of pdfkit 0.20 that the table writer reaches past the public API for, in one place:
 * `@types/pdfkit` does not describe them, and a pdfkit upgrade has to be checked against them.
 */

/** A pdfkit document, as `new PDFDocument()` returns it. */
export type PdfKitDocument = InstanceType<typeof PDFDocument>;

export type PdfKitReference = PDFKit.PDFKitReference;

/** pdfkit's `EmbeddedFont`: a TrueType/OpenType font that is subset and embedded on `doc.end()`. */
export interface PdfKitFont {
  /** The resource name pages use for it (`F1`, `F2`, …). */
  readonly id: string;
  /** In 1/1000 em. */
  readonly ascender: number;
  /** In 1/1000 em, negative below the baseline. */
  readonly descender: number;
  /** The font dictionary, created on first use; finalized by `doc.end()`. */
  ref(): PdfKitReference;
}

export interface PdfKitPage {
  readonly width: number;
  readonly height: number;
  /** pdfkit's own content stream: it holds the page's initial `1 0 0 -1 0 H cm`. */
  readonly content: PdfKitReference;
  /** The page's `/Resources /Font` dictionary. */
  readonly fonts: Record<string, PdfKitReference>;
  /** The page's `/Resources /XObject` dictionary. */
  readonly xobjects: Record<string, PdfKitReference>;
  readonly dictionary: { data: { Contents?: unknown } };
}

/** The fields of `EmbeddedFont` that its `encode` method fills in for each glyph. */
interface EmbeddedFontInternals {
  /** The fontkit font. */
  readonly font: {
    glyphForCodePoint(codePoint: number): {
      readonly id: number;
      readonly advanceWidth: number;
      readonly codePoints: number[];
    };
  };
  /** The subset being built; returns the glyph's id in the subset (its CID). */
  readonly subset: { includeGlyph(glyphId: number): number };
  /** By CID, in 1/1000 em: the `W` array. */
  readonly widths: Array<number | undefined>;
  /** By CID: the ToUnicode map. */
  readonly unicode: Array<number[] | undefined>;
  /** 1000 / unitsPerEm. */
  readonly scale: number;
}

/**
 * Adds the glyph of one code point to the font's subset and returns its subset id (CID) and
 * advance (1/1000 em), or undefined when the font has no glyph for it. It records what
 * `EmbeddedFont.encode` records for each glyph (width for `W`, code points for ToUnicode, so text
 * extraction works) but looks the glyph up in the cmap alone: `encode` runs fontkit's layout,
 * whose first call decodes the GSUB and GPOS tables (tens of milliseconds per font and document),
 * for substitutions and kerning a single character does not get anyway.
 */
export function includeCodePoint(
  font: PdfKitFont,
  codePoint: number,
): { readonly id: number; readonly advance: number } | undefined {
  const embedded = font as unknown as EmbeddedFontInternals;
  const glyph = embedded.font.glyphForCodePoint(codePoint);
  if (glyph.id === 0) return undefined;
  const id = embedded.subset.includeGlyph(glyph.id);
  const advance = glyph.advanceWidth * embedded.scale;
  embedded.widths[id] ??= advance;
  embedded.unicode[id] ??= glyph.codePoints;
  return { id, advance };
}

interface DocumentInternals {
  readonly _font: PdfKitFont;
  readonly page: PdfKitPage;
}

/** The font most recently selected with `doc.font(…)`. */
export function currentFont(document: PdfKitDocument): PdfKitFont {
  return (document as unknown as DocumentInternals)._font;
}

export function currentPage(document: PdfKitDocument): PdfKitPage {
  return (document as unknown as DocumentInternals).page;
}

/**
 * Adds a content stream, already Flate-compressed, after pdfkit's own one on the page. pdfkit
 * compresses a page with `deflateSync` at the default level, the main cost of a large table;
 * the writer compresses its own stream at a faster level instead. The page's `Contents` become
 * an array, whose streams a reader concatenates.
 */
export function appendCompressedContent(
  document: PdfKitDocument,
  page: PdfKitPage,
  compressed: Uint8Array,
): void {
  // With a Filter already set, pdfkit writes the bytes as they are.
  const stream = document.ref({ Filter: 'FlateDecode' });
  stream.end(compressed);
  page.dictionary.data.Contents = [page.content, stream];
}

/**
 * Drops what pdfkit still holds of a page it has written (its dictionary's data, and through it
 * the content and resource objects). The catalog's `Kids` array keeps only the page's reference,
 * which serializes from its id alone, so a long document keeps a few bytes per page, not a few KB.
 */
export function releaseWrittenPage(page: PdfKitPage): void {
  page.dictionary.data = {};
}
