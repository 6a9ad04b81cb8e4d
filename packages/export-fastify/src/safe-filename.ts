/** The longest name kept, in characters: most file systems take no more. */
export const maxFilenameLength = 255;

/**
 * A file name fit for a download: the same name, less what no saved file should have or a
 * header could be abused with. Controls (C0, DEL, C1: CR and LF among them), line and paragraph
 * separators, bidirectional controls (which can make `exe.csv` look like `csv.exe`), path
 * separators and the double quote each become `_`; a lone surrogate becomes U+FFFD. The name
 * is NFC, trimmed, and cut to `maxFilenameLength` characters, keeping its extension.
 */
export function sanitizeFilename(filename: string): string {
  let name = '';
  for (const character of filename.normalize('NFC')) {
    const codePoint = character.codePointAt(0) ?? 0;
    if (isLoneSurrogate(character, codePoint)) name += '\ufffd';
    else name += isUnsafe(character, codePoint) ? '_' : character;
  }
  return truncated(name.trim(), maxFilenameLength);
}

/**
 * The name in printable ASCII, for `filename=`: accents dropped (`Ş` is `S`), any other
 * character that is not printable ASCII replaced by `_`.
 */
export function asciiFallbackOf(name: string): string {
  let fallback = '';
  for (const character of name.normalize('NFD')) {
    if (/\p{M}/u.test(character)) continue;
    const codePoint = character.codePointAt(0) ?? 0;
    fallback += codePoint >= 0x20 && codePoint <= 0x7e ? character : '_';
  }
  return fallback;
}

function isLoneSurrogate(character: string, codePoint: number): boolean {
  return character.length === 1 && codePoint >= 0xd800 && codePoint <= 0xdfff;
}

function isUnsafe(character: string, codePoint: number): boolean {
  if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f)) return true;
  if (codePoint === 0x2028 || codePoint === 0x2029) return true;
  // LRM, RLM, ALM, the embeddings and overrides, the isolates.
  if (codePoint === 0x200e || codePoint === 0x200f || codePoint === 0x061c) return true;
  if ((codePoint >= 0x202a && codePoint <= 0x202e) || (codePoint >= 0x2066 && codePoint <= 0x2069))
    return true;
  return character === '/' || character === '\\' || character === '"';
}

function truncated(name: string, maxLength: number): string {
  const characters = [...name];
  if (characters.length <= maxLength) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? [...name.slice(dot)] : [];
  // An "extension" as long as the limit is no extension.
  const kept = extension.length < 16 ? extension : [];
  return characters
    .slice(0, maxLength - kept.length)
    .concat(kept)
    .join('');
}
