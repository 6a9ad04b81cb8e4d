import { asciiFallbackOf, sanitizeFilename } from './safe-filename.js';

// A `%` and two hex digits in `filename=` is decoded by some browsers: say the name in `filename*`.
const percentEscape = /%[0-9A-Fa-f]{2}/;

/**
 * `Content-Disposition` for a download of `filename` (RFC 6266): `attachment; filename="…"` with
 * the name in printable ASCII and, when that is not the name itself (non-ASCII, a `%XX`),
 * `filename*=UTF-8''…` (RFC 8187) with the name percent-encoded. The name is sanitized first
 * (`sanitizeFilename`), so no CR, LF, quote or control from it reaches the header; an empty
 * name gives `attachment` alone.
 */
export function attachmentDisposition(filename: string): string {
  const name = sanitizeFilename(filename);
  if (name === '') return 'attachment';
  const fallback = asciiFallbackOf(name);
  const disposition = `attachment; filename="${fallback}"`;
  if (fallback === name && !percentEscape.test(name)) return disposition;
  return `${disposition}; filename*=UTF-8''${extendedValueOf(name)}`;
}

/** RFC 8187's value-chars: UTF-8, every byte outside `attr-char` percent-encoded. */
function extendedValueOf(name: string): string {
  return encodeURIComponent(name).replace(
    /['()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
