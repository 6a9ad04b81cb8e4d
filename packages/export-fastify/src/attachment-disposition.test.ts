import { describe, expect, it } from 'vitest';
import { attachmentDisposition } from './attachment-disposition.js';
import { maxFilenameLength } from './safe-filename.js';

describe('attachmentDisposition', () => {
  it('quotes a plain ASCII name and adds nothing else', () => {
    expect(attachmentDisposition('trades 2024-05.csv')).toBe(
      'attachment; filename="trades 2024-05.csv"',
    );
  });

  it('gives a non-ASCII name in filename* (UTF-8, percent-encoded) and an ASCII filename without accents', () => {
    expect(attachmentDisposition('Şükrü report.csv')).toBe(
      `attachment; filename="Sukru report.csv"; filename*=UTF-8''%C5%9E%C3%BCkr%C3%BC%20report.csv`,
    );
  });

  it('replaces what has no ASCII form with _ in filename=', () => {
    expect(attachmentDisposition('отчёт 📈.pdf')).toBe(
      `attachment; filename="_____ _.pdf"; filename*=UTF-8''%D0%BE%D1%82%D1%87%D1%91%D1%82%20%F0%9F%93%88.pdf`,
    );
  });

  it('lets no CR, LF or quote of a hostile name reach the header', () => {
    const disposition = attachmentDisposition('a"\r\nSet-Cookie: x.csv');
    expect(disposition).toBe('attachment; filename="a___Set-Cookie: x.csv"');
    expect(disposition).not.toMatch(/[\r\n]/);
  });

  it('drops path separators, so a name cannot climb folders', () => {
    expect(attachmentDisposition('../../etc/passwd')).toBe(
      'attachment; filename=".._.._etc_passwd"',
    );
    expect(attachmentDisposition('C:\\Users\\x.csv')).toBe('attachment; filename="C:_Users_x.csv"');
  });

  it('replaces bidirectional controls, which could show "exe.csv" for "csv.exe"', () => {
    expect(attachmentDisposition('report\u202Evsc.exe')).toBe(
      'attachment; filename="report_vsc.exe"',
    );
  });

  it('says a name with a %XX in it in filename* too, which some browsers would decode', () => {
    expect(attachmentDisposition('100%41.csv')).toBe(
      `attachment; filename="100%41.csv"; filename*=UTF-8''100%2541.csv`,
    );
  });

  it("percent-encodes the characters RFC 8187 does not allow bare in filename*: ' ( ) *", () => {
    expect(attachmentDisposition("ç'(x)*.csv")).toBe(
      `attachment; filename="c'(x)*.csv"; filename*=UTF-8''%C3%A7%27%28x%29%2A.csv`,
    );
  });

  it('turns a lone surrogate into U+FFFD rather than fail to encode it', () => {
    expect(attachmentDisposition('a\uD800b.csv')).toBe(
      `attachment; filename="a_b.csv"; filename*=UTF-8''a%EF%BF%BDb.csv`,
    );
  });

  it(`cuts a name longer than ${maxFilenameLength} characters, keeping its extension`, () => {
    const disposition = attachmentDisposition(`${'a'.repeat(300)}.csv`);
    expect(disposition).toBe(`attachment; filename="${'a'.repeat(maxFilenameLength - 4)}.csv"`);
  });

  it('is attachment alone for a name that is blank once sanitized', () => {
    expect(attachmentDisposition('  ')).toBe('attachment');
  });
});
