/**
 * A number at a value position (after `:`, `,` or `[`, and whitespace) whose text a double may
 * change, followed by what may follow a value: an exponent, a fraction ending in 0 (`100.10`,
 * `-0.0`), `-0`, a fraction below 1e-6 written out (`0.0000001`), or 16 digits or more. Any
 * other number has at most 15 digits and no trailing zero, so `String(Number(t))` gives `t` back.
 */
const lossyNumber = String.raw`[:,[]\s*(?:-0|-?(?:0|[1-9]\d*)(?:\.\d*0|(?:\.\d+)?[eE][-+]?\d+)|-?0\.0{6}\d*|-?\d(?:\.?\d){15}[\d.]*)(?=\s*[,\]}])`;
/** A key that may be an array index ("2024", "0", also as `\u0032…`), which JavaScript lists first. */
const integerLikeKey = String.raw`"(?:\d|\\u003\d)+"\s*:`;
const mayLoseDetail = new RegExp(`${lossyNumber}|${integerLikeKey}`);

/**
 * Whether JSON text may hold something `JSON.parse` would lose: a number a double changes, or a
 * key JavaScript would move. False positives only cost the exact parser's time, so the test
 * reads the text, not its tokens: the same patterns inside a string also answer yes.
 */
export function mayNeedExactParse(text: string): boolean {
  return mayLoseDetail.test(text);
}
