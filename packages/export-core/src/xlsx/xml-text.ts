// What XML 1.0 cannot hold (C0 controls but tab, LF and CR; U+FFFE, U+FFFF; a surrogate without
// its pair), the markup characters, CR (which an XML parser would turn into LF), and an `_`
// that starts what reads as an escape.
const needsEscape =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the controls are what it finds
  /[&<>"\r\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|_(?=x[0-9A-Fa-f]{4}_)/g;

const markup: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\r': '&#13;',
};

/**
 * Text as the content of an element or a quoted attribute of a spreadsheet part. A character
 * XML cannot carry becomes Excel's escape `_xHHHH_` (its UTF-16 code unit), which Excel and
 * openpyxl decode; an `_` that would start such an escape in the text is itself escaped as
 * `_x005F_`, so the text reads back as it was.
 */
export function xmlText(text: string): string {
  needsEscape.lastIndex = 0;
  if (!needsEscape.test(text)) return text;
  return text.replace(needsEscape, escapeOne);
}

function escapeOne(character: string): string {
  const entity = markup[character];
  if (entity !== undefined) return entity;
  const unit = character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  return `_x${unit}_`;
}

// As above, without the `_` of an escape.
const notPropertyText =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the controls are what it finds
  /[&<>"\r\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text of a document property (docProps/core.xml `dc:title`, `dc:creator`): plain XML text,
 * which no reader decodes `_xHHHH_` in. So a control character becomes a space, as in a PDF's
 * title, a noncharacter or a surrogate without its pair U+FFFD, and an `_` stays as it is.
 */
export function xmlPropertyText(text: string): string {
  notPropertyText.lastIndex = 0;
  if (!notPropertyText.test(text)) return text;
  return text.replace(notPropertyText, (character) => {
    const entity = markup[character];
    if (entity !== undefined) return entity;
    return character.charCodeAt(0) < 0x20 ? ' ' : '\uFFFD';
  });
}
