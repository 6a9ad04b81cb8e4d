import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pageAt, readPdf } from '../pdf/test-helpers/read-pdf.js';
import { usePoolWithFolder } from '../test-helpers/use-pool-with-folder.js';

const fixture = usePoolWithFolder('export-pool-zero-rows-');

describe('pool.run of zero records and no columns', () => {
  it('writes an empty CSV for empty NDJSON, as runExport does', async () => {
    const path = join(fixture.folder, 'empty.csv');
    const result = await fixture.pool.run({
      source: { ndjson: new Uint8Array(0) },
      format: 'csv',
      destination: path,
    });
    expect(result).toMatchObject({ rows: 0, bytes: 0 });
    expect(await readFile(path)).toEqual(Buffer.alloc(0));
  });

  it('writes a PDF of an empty table for an empty JSON array', async () => {
    const path = join(fixture.folder, 'empty.pdf');
    await fixture.pool.run({
      source: { json: Buffer.from('[]') },
      format: 'pdf',
      pdf: { title: 'Nothing' },
      destination: path,
    });
    const page = pageAt(await readPdf(await readFile(path)), 0);
    expect(page.text).toMatch(/^Nothing Generated \S+ 0 rows Nothing Page 1 of 1$/);
  });
});
