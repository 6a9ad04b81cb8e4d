// Excel turns "00123" into 123 and "1234567890123456789" into 1.23457E+18: both lose data.
const fragileDigitString = /^(0\d+|\d{16,})$/;

/** Writes such text as ="00123", which Excel shows as the text 00123. */
export function digitStringAsText(text: string): string {
  return fragileDigitString.test(text) ? `="${text}"` : text;
}
