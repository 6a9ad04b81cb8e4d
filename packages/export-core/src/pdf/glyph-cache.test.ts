import { describe, expect, it } from 'vitest';
import { bundledFontPaths } from './bundled-fonts.js';
import { GlyphCache } from './glyph-cache.js';
import { normalizePdfOptions } from './normalize-pdf-options.js';
import { openPdfDocument } from './open-pdf-document.js';

function bundledRegularFont() {
  const { document, regular } = openPdfDocument(normalizePdfOptions());
  return { document, glyphs: new GlyphCache(regular.font) };
}

/** The glyph ids in an encoded literal string body. */
function glyphIds(bytes: string): number[] {
  const raw = bytes.replace(/\\(.)/g, (_, char: string) =>
    char === 'n' ? '\n' : char === 'r' ? '\r' : char,
  );
  const ids: number[] = [];
  for (let index = 0; index < raw.length; index += 2) {
    ids.push(raw.charCodeAt(index) * 256 + raw.charCodeAt(index + 1));
  }
  return ids;
}

describe('GlyphCache', () => {
  it('gives each character the advance pdfkit lays it out with, in 1/1000 em', () => {
    const { document, glyphs } = bundledRegularFont();
    document.font(bundledFontPaths.regular).fontSize(1000);
    const text = 'Ağır Şoför — Zürich 12,345.67 Łódź Αθήνα Москва';
    const expected = [...text].reduce((sum, char) => sum + document.widthOfString(char), 0);
    expect(glyphs.width(text)).toBeCloseTo(expected, 6);
  });

  it('encodes one glyph id per character, the same id for the same character', () => {
    const { glyphs } = bundledRegularFont();
    const ids = glyphIds(glyphs.encode('abca').bytes);
    expect(ids).toHaveLength(4);
    expect(ids[0]).toBe(ids[3]);
    expect(new Set(ids).size).toBe(3);
  });

  it('encodes a character outside the BMP (a surrogate pair) as one glyph', () => {
    const { glyphs } = bundledRegularFont();
    expect(glyphIds(glyphs.encode('😀').bytes)).toHaveLength(1);
  });

  it('escapes parentheses and backslashes in the literal string', () => {
    const { glyphs } = bundledRegularFont();
    const many = glyphs.encode(
      Array.from({ length: 400 }, (_, index) => String.fromCharCode(0x100 + index)).join(''),
    ).bytes;
    expect(many.replace(/\\[()\\nr]/g, '')).not.toMatch(/[()\\\r\n]/);
  });

  it('leaves text that fits untouched', () => {
    const { glyphs } = bundledRegularFont();
    const full = glyphs.encode('Zürich');
    expect(glyphs.fit('Zürich', full.width)).toEqual(full);
    expect(full.truncated).toBe(false);
  });

  it('cuts text that does not fit and ends it with an ellipsis, within the width', () => {
    const { glyphs } = bundledRegularFont();
    const maxWidth = glyphs.width('Hello w');
    const fitted = glyphs.fit('Hello world, this is long', maxWidth);
    expect(fitted.width).toBeLessThanOrEqual(maxWidth);
    expect(fitted.truncated).toBe(true);
    const ellipsisId = glyphIds(glyphs.encode('…').bytes)[0];
    expect(glyphIds(fitted.bytes).at(-1)).toBe(ellipsisId);
    expect(glyphIds(fitted.bytes).slice(0, -1)).toEqual(
      glyphIds(glyphs.encode('Hello world').bytes).slice(0, glyphIds(fitted.bytes).length - 1),
    );
  });

  it('draws nothing when not even the ellipsis fits', () => {
    const { glyphs } = bundledRegularFont();
    expect(glyphs.fit('Hello', glyphs.width('…') / 2)).toEqual({
      bytes: '',
      width: 0,
      truncated: true,
    });
  });

  it('shows a character the font lacks as U+FFFD', () => {
    const { glyphs } = bundledRegularFont();
    expect(glyphs.encode('中').bytes).toBe(glyphs.encode('\uFFFD').bytes);
    expect(glyphs.encode('a中b').bytes).toBe(glyphs.encode('a\uFFFDb').bytes);
  });

  it('shows a lone surrogate as U+FFFD', () => {
    const { glyphs } = bundledRegularFont();
    expect(glyphs.encode('\uD800').bytes).toBe(glyphs.encode('\uFFFD').bytes);
  });

  it('shows control characters (tab, newline) as spaces', () => {
    const { glyphs } = bundledRegularFont();
    expect(glyphs.encode('a\tb\nc').bytes).toBe(glyphs.encode('a b c').bytes);
  });

  it('composes combining marks (NFC), since glyphs are placed without mark positioning', () => {
    const { glyphs } = bundledRegularFont();
    expect(glyphs.encode('Cafe\u0301').bytes).toBe(glyphs.encode('Café').bytes);
  });
});
