import { describe, expect, it } from 'vitest';
import { csvBytes, csvText } from './csv-test-helpers.js';
import { type CsvStreamOptions, normalizeCsvOptions } from './normalize-csv-options.js';

const bom = Buffer.from([0xef, 0xbb, 0xbf]);
const trade = { id: 7, symbol: 'ACME;B', note: 'x' };

describe('option delimiter', () => {
  it('separates fields and quotes fields that contain it', async () => {
    expect(await csvText([trade], { delimiter: ';' })).toBe('id;symbol;note\r\n7;"ACME;B";x\r\n');
  });

  it('accepts a tab', async () => {
    expect(await csvText([{ a: 1, b: 2 }], { delimiter: '\t' })).toBe('a\tb\r\n1\t2\r\n');
  });
});

describe('option eol', () => {
  it('is CRLF by default', async () => {
    expect(await csvText([{ a: 1 }, { a: 2 }])).toBe('a\r\n1\r\n2\r\n');
  });

  it('can be LF', async () => {
    expect(await csvText([{ a: 1 }, { a: 2 }], { eol: '\n' })).toBe('a\n1\n2\n');
  });
});

describe('option bom', () => {
  it('is off by default', async () => {
    expect((await csvBytes([{ a: 1 }])).subarray(0, 3).equals(bom)).toBe(false);
  });

  it('writes the UTF-8 BOM first', async () => {
    const bytes = await csvBytes([{ a: 1 }], { bom: true });
    expect(bytes.subarray(0, 3)).toEqual(bom);
    expect(bytes.subarray(3).toString()).toBe('a\r\n1\r\n');
  });

  it('writes the BOM for zero records too', async () => {
    const bytes = await csvBytes([], { bom: true, columns: ['a'] });
    expect(bytes).toEqual(Buffer.concat([bom, Buffer.from('a\r\n')]));
  });
});

describe('option quote', () => {
  it('quotes only what must be quoted by default', async () => {
    expect(await csvText([{ a: 'plain', b: 'a,b' }])).toBe('a,b\r\nplain,"a,b"\r\n');
  });

  it('quotes every field, header included, with all', async () => {
    expect(await csvText([{ a: 'plain', b: 1 }], { quote: 'all' })).toBe(
      '"a","b"\r\n"plain","1"\r\n',
    );
  });
});

describe('option profile', () => {
  it('rfc4180 is the default and plain: no BOM, CRLF, no formula guard, digit strings as they are', () => {
    expect(normalizeCsvOptions()).toEqual({
      columns: undefined,
      columnDefaults: { timeZone: 'UTC', nullText: '' },
      delimiter: ',',
      eol: '\r\n',
      bom: false,
      quote: 'auto',
      escapeFormulas: false,
      digitStringsAsText: false,
    });
  });

  it('excel sets BOM, CRLF, formula guard and digit strings as text at once', async () => {
    const bytes = await csvBytes([{ account: '00123', formula: '=1+1' }], { profile: 'excel' });
    expect(bytes.subarray(0, 3)).toEqual(bom);
    expect(bytes.subarray(3).toString()).toBe('account,formula\r\n"=""00123""",\'=1+1\r\n');
  });

  it('lets a single option override the profile', async () => {
    const bytes = await csvBytes([{ a: 1 }], { profile: 'excel', bom: false });
    expect(bytes.toString()).toBe('a\r\n1\r\n');
  });
});

describe('bad options', () => {
  it.each<[CsvStreamOptions, string]>([
    [
      { delimiter: ',,' },
      'option `csv.delimiter` must be one character other than a quote, CR, LF, \\, ], ^ or -, got ",,"',
    ],
    [
      { delimiter: '"' },
      'option `csv.delimiter` must be one character other than a quote, CR, LF, \\, ], ^ or -, got "\\""',
    ],
    [{ eol: '\r' as '\n' }, 'option `csv.eol` must be one of "\\r\\n", "\\n", got "\\r"'],
    [{ bom: 'yes' as unknown as boolean }, 'option `csv.bom` must be a boolean, got "yes"'],
    [{ quote: 'some' as 'all' }, 'option `csv.quote` must be one of "auto", "all", got "some"'],
    [
      { profile: 'libreoffice' as 'excel' },
      'option `csv.profile` must be one of "rfc4180", "excel", got "libreoffice"',
    ],
    [
      { escapeFormulas: 0 as unknown as boolean },
      'option `csv.escapeFormulas` must be a boolean, got 0',
    ],
  ])('%j fails with EXPORT_INVALID_OPTION naming the option', (options, message) => {
    expect(() => normalizeCsvOptions(options)).toThrowError(
      expect.objectContaining({ code: 'EXPORT_INVALID_OPTION', message }),
    );
  });
});
