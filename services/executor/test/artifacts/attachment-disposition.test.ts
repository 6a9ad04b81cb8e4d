import { describe, expect, it } from 'vitest';
import { attachmentDisposition } from '../../src/artifacts/attachment-disposition.js';

describe('attachmentDisposition()', () => {
  it('quotes a plain ASCII name as it is', () => {
    expect(attachmentDisposition('export 2024-01.csv')).toBe(
      'attachment; filename="export 2024-01.csv"',
    );
  });

  it('adds filename* (UTF-8, percent-encoded) and an ASCII fallback for any other name', () => {
    expect(attachmentDisposition('Übersicht.pdf')).toBe(
      `attachment; filename="_bersicht.pdf"; filename*=UTF-8''%C3%9Cbersicht.pdf`,
    );
  });

  it('never lets a quote, a backslash or a control character into the quoted fallback', () => {
    expect(attachmentDisposition('a"b\\c\r\n.csv')).toBe(
      `attachment; filename="a_b_c__.csv"; filename*=UTF-8''a%22b%5Cc%0D%0A.csv`,
    );
  });

  it("percent-encodes the characters RFC 8187 does not allow bare: ' ( ) * !", () => {
    expect(attachmentDisposition("it's (1)*!é")).toContain(
      "filename*=UTF-8''it%27s%20%281%29%2A%21%C3%A9",
    );
  });
});
