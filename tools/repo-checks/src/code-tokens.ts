/** What looks like an error code of this repository: a known prefix, then capitals and digits. */
export const codePattern = /\b(EXPORT|LIMITER|EXECUTOR|METRICS)_[A-Z0-9_]+\b/g;

/** Every distinct code-looking token of a text, sorted. */
export function codeTokensIn(text: string): string[] {
  return [...new Set(text.match(codePattern) ?? [])].sort();
}

/**
 * The code-looking tokens of a text that are neither a known code nor a name that only looks
 * like one (an environment variable such as EXPORT_MAX_ROWS).
 */
export function unknownCodesIn(
  text: string,
  codes: ReadonlySet<string>,
  lookalikes: ReadonlySet<string>,
): string[] {
  return codeTokensIn(text).filter((token) => !codes.has(token) && !lookalikes.has(token));
}
