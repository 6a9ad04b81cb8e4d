import { describe, expect, it } from 'vitest';
import { csvText } from './csv-test-helpers.js';
import { escapeFormula } from './escape-formula.js';

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

  it('is on by default in the CSV', async () => {
    expect(await csvText([{ cell: '=HYPERLINK("http://x")' }])).toBe(
      'cell\r\n"\'=HYPERLINK(""http://x"")"\r\n',
    );
  });

  it('never alters numbers, negative ones included', async () => {
    expect(await csvText([{ pnl: -12.5, big: -5n }])).toBe('pnl,big\r\n-12.5,-5\r\n');
  });

  it('guards text from a column format function', async () => {
    expect(await csvText([{ a: 'x' }], { columns: [{ key: 'a', format: () => '=1' }] })).toBe(
      "a\r\n'=1\r\n",
    );
  });

  it('guards the header too', async () => {
    expect(await csvText([{ '=cmd': 1 }])).toBe("'=cmd\r\n1\r\n");
  });

  it('is off with escapeFormulas: false', async () => {
    expect(await csvText([{ cell: '=1+1' }], { escapeFormulas: false })).toBe('cell\r\n=1+1\r\n');
  });
});
