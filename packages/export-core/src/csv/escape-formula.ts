/**
 * OWASP CSV injection guard: text that a spreadsheet would run as a formula gets a leading `'`.
 * = + - @ start formulas; tab, CR and NUL let one hide behind whitespace.
 */
export function escapeFormula(text: string): string {
  switch (text.charCodeAt(0)) {
    case 0x3d: // =
    case 0x2b: // +
    case 0x2d: // -
    case 0x40: // @
    case 0x09: // tab
    case 0x0d: // CR
    case 0x00: // NUL
      return `'${text}`;
    default:
      return text;
  }
}
