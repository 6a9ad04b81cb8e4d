/**
 * `attachment; filename="…"` for `fileName`, with RFC 6266's `filename*` (RFC 8187 UTF-8) beside
 * an ASCII fallback when the name is not plain ASCII, which browsers then prefer.
 */
export function attachmentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  if (fallback === fileName) return `attachment; filename="${fileName}"`;
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeRfc8187(fileName)}`;
}

// encodeURIComponent leaves ' ( ) * ! unescaped; RFC 8187's attr-char does not allow them.
function encodeRfc8187(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*!]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
