import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { useExportDir } from '../src/test-helpers/use-export-dir.js';

const { folder, logged } = useExportDir();

it('writes a readable PDF table with the exact numbers and the scripts of its data', async () => {
  await import('./pdf-report.js');
  expect(logged()[0]?.[0]).toMatchObject({ format: 'pdf', rows: 2 });
  const text = execFileSync('pdftotext', ['-layout', join(folder(), 'trades.pdf'), '-']).toString();
  for (const expected of ['Trades', 'User: alice', '9007199254740993', '1234567890.12345678']) {
    expect(text).toContain(expected);
  }
  expect(text).toContain('Şükrü Çağlar');
  expect(text).toContain('Αλέξανδρος');
});
