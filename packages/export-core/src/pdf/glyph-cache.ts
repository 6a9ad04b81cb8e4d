import { includeCodePoint, type PdfKitFont } from './pdfkit-internals.js';

/**
 * Text ready for a `Tj` operator: `bytes` is the body of a PDF literal string, two bytes per
 * glyph id (Identity-H), escaped; `width` is its advance in 1/1000 em.
 */
export interface EncodedText {
  readonly bytes: string;
  readonly width: number;
  /** Cut to fit, and ended with "…" (or empty, when not even that fits). */
  readonly truncated: boolean;
}

interface Glyph {
  /** Two bytes per glyph id, as latin1 characters, escaped for a literal string. */
  readonly bytes: string;
  /** In 1/1000 em. */
  readonly advance: number;
}

const replacementCharacter = 0xfffd;
const questionMark = 0x3f;
const space = 0x20;
const horizontalEllipsis = 0x2026;
const fullStop = 0x2e;

/**
 * Encodes text one character at a time, through a per-code-point cache of each character's
 * glyph: its subset id and advance. fontkit's layout, run for every `doc.text()`, is what makes
 * naive pdfkit slow; a table cell needs neither kerning nor ligatures, so each distinct character
 * is looked up once per document. The lookup adds the glyph to the font subset with its width and
 * code point, as pdfkit's own `encode` does, so the embedded font, its widths and its ToUnicode
 * map (text extraction) stay right.
 *
 * A character the font lacks becomes U+FFFD (or `?`); control characters become spaces.
 */
export class GlyphCache {
  readonly #font: PdfKitFont;
  readonly #basic: Array<Glyph | undefined> = new Array(0x10000);
  readonly #supplementary = new Map<number, Glyph>();
  readonly #placeholder: Glyph;
  readonly #space: Glyph;
  readonly #ellipsis: Glyph;

  constructor(font: PdfKitFont) {
    this.#font = font;
    this.#placeholder = this.#encodeFromFont(replacementCharacter) ??
      this.#encodeFromFont(questionMark) ?? { bytes: literalBytes(0), advance: 0 };
    this.#space = this.#encodeFromFont(space) ?? this.#placeholder;
    this.#ellipsis = this.#encodeFromFont(horizontalEllipsis) ?? this.#threeDots();
  }

  /** The advance of the text in 1/1000 em. Nothing is encoded: a 10 MB cell costs no memory. */
  width(text: string): number {
    return this.#fit(text, Number.POSITIVE_INFINITY, false, false).width;
  }

  encode(text: string): EncodedText {
    return this.fit(text, Number.POSITIVE_INFINITY);
  }

  /**
   * Encodes the text, cut and ended with "…" when it is wider than `maxWidth` (1/1000 em), so
   * a cell never runs into the next one. Empty when not even the ellipsis fits.
   */
  fit(text: string, maxWidth: number): EncodedText {
    return this.#fit(text, maxWidth, false);
  }

  #fit(text: string, maxWidth: number, normalized: boolean, withBytes = true): EncodedText {
    const roomBeforeEllipsis = maxWidth - this.#ellipsis.advance;
    let bytes = '';
    let width = 0;
    let fittingLength = 0;
    let fittingWidth = 0;
    for (let index = 0; index < text.length; index++) {
      let code = text.charCodeAt(index);
      if (code >= 0xd800 && code <= 0xdbff) {
        const low = text.charCodeAt(index + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          code = (code - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
          index++;
        }
      } else if (code >= 0x300 && !normalized && isCombiningMark(code)) {
        // Glyphs are placed one by one, without mark positioning: compose "e\u0301" into "é".
        return this.#fit(text.normalize('NFC'), maxWidth, true, withBytes);
      }
      const glyph =
        (code < 0x10000 ? this.#basic[code] : this.#supplementary.get(code)) ?? this.#load(code);
      width += glyph.advance;
      if (width > maxWidth) {
        if (roomBeforeEllipsis < 0) return { bytes: '', width: 0, truncated: true };
        return {
          bytes: bytes.slice(0, fittingLength) + this.#ellipsis.bytes,
          width: fittingWidth + this.#ellipsis.advance,
          truncated: true,
        };
      }
      if (withBytes) bytes += glyph.bytes;
      if (width <= roomBeforeEllipsis) {
        fittingLength = bytes.length;
        fittingWidth = width;
      }
    }
    return { bytes, width, truncated: false };
  }

  #load(code: number): Glyph {
    const glyph = isControl(code) ? this.#space : (this.#encodeFromFont(code) ?? this.#placeholder);
    if (code < 0x10000) this.#basic[code] = glyph;
    else this.#supplementary.set(code, glyph);
    return glyph;
  }

  /** The glyph of one code point, or undefined when the font maps it to .notdef. */
  #encodeFromFont(code: number): Glyph | undefined {
    if (code >= 0xd800 && code <= 0xdfff) return undefined;
    const glyph = includeCodePoint(this.#font, code);
    return glyph && { bytes: literalBytes(glyph.id), advance: glyph.advance };
  }

  #threeDots(): Glyph {
    const dot = this.#encodeFromFont(fullStop) ?? this.#placeholder;
    return { bytes: dot.bytes.repeat(3), advance: dot.advance * 3 };
  }
}

/**
 * A glyph id as two bytes of a literal string: half the size of hex, which keeps the content
 * streams (and their compression, the main cost of a page) small. Parentheses and backslash are
 * escaped, and CR and LF too, which a reader would otherwise normalize.
 */
function literalBytes(glyphId: number): string {
  return escapeByte(glyphId >> 8) + escapeByte(glyphId & 0xff);
}

function escapeByte(byte: number): string {
  if (byte === 0x0a) return '\\n';
  if (byte === 0x0d) return '\\r';
  const char = String.fromCharCode(byte);
  return byte === 0x28 || byte === 0x29 || byte === 0x5c ? `\\${char}` : char;
}

function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

/** The combining diacritical mark blocks, which NFC can fold into precomposed letters. */
function isCombiningMark(code: number): boolean {
  return (
    (code >= 0x300 && code <= 0x36f) ||
    (code >= 0x1ab0 && code <= 0x1aff) ||
    (code >= 0x1dc0 && code <= 0x1dff) ||
    (code >= 0x20d0 && code <= 0x20ff) ||
    (code >= 0xfe20 && code <= 0xfe2f)
  );
}
