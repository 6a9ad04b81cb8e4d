import { pdfNumber, textLine } from './content-operators.js';
import type { FontFace } from './open-pdf-document.js';
import type { PdfKitDocument, PdfKitPage, PdfKitReference } from './pdfkit-internals.js';

const totalPagesName = 'TotalPages';

/**
 * "Page N of M" on every page, although M is known only once the last row is written and the
 * earlier pages are long gone to the sink: every footer draws one shared Form XObject, and that
 * XObject's content (the digits of M) is written once, at the end.
 */
export class PageFooter {
  readonly #face: FontFace;
  readonly #fontSize: number;
  readonly #totalPages: PdfKitReference;

  constructor(document: PdfKitDocument, face: FontFace, fontSize: number) {
    this.#face = face;
    this.#fontSize = fontSize;
    this.#totalPages = document.ref({
      Type: 'XObject',
      Subtype: 'Form',
      // Room for a total of a dozen digits or more, drawn at baseline 0.
      BBox: [0, -fontSize, fontSize * 10, fontSize * 2],
      Resources: { Font: { [face.font.id]: face.font.ref() } },
    });
  }

  /**
   * Operators (in PDF coordinates) that draw "Page N of " ending near `right`, then the total.
   * The total's width is guessed from N's: M has at least as many digits.
   */
  draw(
    page: PdfKitPage,
    pageNumber: number,
    right: number,
    baseline: number,
    gray: number,
  ): string {
    page.xobjects[totalPagesName] = this.#totalPages;
    page.fonts[this.#face.font.id] = this.#face.font.ref();
    const scale = this.#fontSize / 1000;
    const label = this.#face.glyphs.encode(`Page ${pageNumber} of `);
    const guessedTotalWidth = this.#face.glyphs.width(String(pageNumber)) * scale;
    const x = right - label.width * scale - guessedTotalWidth;
    const totalX = pdfNumber(x + label.width * scale);
    return (
      textLine(this.#face.font.id, this.#fontSize, x, baseline, label.bytes, gray) +
      // The form draws in the graphics state of its `Do`: gray, like the label.
      `q ${gray} g 1 0 0 1 ${totalX} ${pdfNumber(baseline)} cm /${totalPagesName} Do Q\n`
    );
  }

  /** Writes M. Call before `doc.end()`, which closes the font subset the digits must be in. */
  end(totalPages: number): void {
    const { bytes } = this.#face.glyphs.encode(String(totalPages));
    this.#totalPages.end(textLine(this.#face.font.id, this.#fontSize, 0, 0, bytes));
  }
}
