/** A file's strong ETag: its SHA-256, quoted. */
export function entityTagOf(sha256: string): string {
  return `"${sha256}"`;
}

/** `If-None-Match` uses the weak comparison: `W/"x"` matches `"x"`, and `*` matches anything. */
export function noneMatchHits(header: string | undefined, entityTag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === entityTag);
}

/**
 * `If-Match` uses the strong comparison (RFC 9110 §13.1.1): a weak tag never matches, `*` matches
 * any file. No header means no precondition.
 */
export function matchHolds(header: string | undefined, entityTag: string): boolean {
  if (header === undefined) return true;
  if (header.trim() === '*') return true;
  return header.split(',').some((candidate) => candidate.trim() === entityTag);
}

/**
 * `If-Range` uses the strong comparison; a date never matches, since downloads send no
 * Last-Modified. No header means the range applies.
 */
export function rangeStillApplies(header: string | undefined, entityTag: string): boolean {
  return header === undefined || header.trim() === entityTag;
}
