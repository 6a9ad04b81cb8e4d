// Enough of a header's value to recognise it in an error message; a header may be 16 KiB.
const maxQuotedLength = 64;

/** A client's value, quoted and cut short, for an error message. */
export function quotedForMessage(value: string): string {
  return JSON.stringify(value.slice(0, maxQuotedLength));
}
