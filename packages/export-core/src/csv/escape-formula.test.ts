import { describe, expect, it } from 'vitest';
import { csvText } from './csv-test-helpers.js';
import { escapeFormula } from './escape-formula.js';

const excel = { profile: 'excel' } as const;

describe('the formula-injection guard', () => {
  it.each(['=SUM(A1:A9)', '+1', '-1+2', '@cmd', '\tleading tab', '\rleading CR', '\u0000x'])(
    'prefixes %j with an apostrophe',
    (text) => {
      expect(escapeFormula(text)).toBe(`'${text}`);
    },
  );

  it.each(['ACME', '1=1', ' =x', '', "'already"])('leaves %j alone', (text) => {
    expect(escapeFormula(text)).toBe(text);
  });

  it('is on in the excel profile', async () => {
    expect(await csvText([{ cell: '=HYPERLINK("http://x")' }], { ...excel, bom: false })).toBe(
      'cell\r\n"\'=HYPERLINK(""http://x"")"\r\n',
    );
  });

  it('is off in the rfc4180 profile, the default: plain CSV writes every value as it is', async () => {
    expect(await csvText([{ cell: '=1+1' }])).toBe('cell\r\n=1+1\r\n');
    expect(await csvText([{ cell: '=1+1' }], { profile: 'rfc4180' })).toBe('cell\r\n=1+1\r\n');
  });

  it('can be asked for in rfc4180', async () => {
    expect(await csvText([{ cell: '=1+1' }], { escapeFormulas: true })).toBe("cell\r\n'=1+1\r\n");
  });

  // Replays issue 15: PostgreSQL numeric arrives as strings, and 62,745 of 200,000 pnl cells
  // were written as '-3.12345678.
  it.each(['-5', '-3.12345678', '+1e5', '.5', '-0', '1234567889.12345678'])(
    'leaves the numeric text %j alone in the excel profile',
    async (text) => {
      expect(await csvText([{ pnl: text }], { ...excel, bom: false })).toBe(`pnl\r\n${text}\r\n`);
    },
  );

  it.each(["-2+3+cmd|' /C calc'!A0", '@SUM(A1)', '=1+1', '-', '+', '1e5+1'])(
    'still guards the formula %j that only starts like a number',
    async (text) => {
      const csv = await csvText([{ cell: text }], { ...excel, bom: false, quote: 'all' });
      expect(csv).toBe(`"cell"\r\n"${text.startsWith('1') ? '' : "'"}${text}"\r\n`);
    },
  );

  it('never alters numbers, negative ones included', async () => {
    expect(await csvText([{ pnl: -12.5, big: -5n }])).toBe('pnl,big\r\n-12.5,-5\r\n');
  });

  it('guards text from a column format function', async () => {
    expect(
      await csvText([{ a: 'x' }], {
        ...excel,
        bom: false,
        columns: [{ key: 'a', format: () => '=1' }],
      }),
    ).toBe("a\r\n'=1\r\n");
  });

  it('guards the header too', async () => {
    expect(await csvText([{ '=cmd': 1 }], { ...excel, bom: false })).toBe("'=cmd\r\n1\r\n");
  });

  it('is off with escapeFormulas: false', async () => {
    expect(await csvText([{ cell: '=1+1' }], { ...excel, escapeFormulas: false, bom: false })).toBe(
      'cell\r\n=1+1\r\n',
    );
  });
});
