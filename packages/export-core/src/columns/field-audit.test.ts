import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runExport } from '../run-export.js';
import { FieldAudit } from './field-audit.js';
import { normalizeColumns } from './normalize-columns.js';

function sink(): Writable & { text: () => string } {
  const chunks: Buffer[] = [];
  const writable = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return Object.assign(writable, { text: () => Buffer.concat(chunks).toString() });
}

describe('fields outside the columns', () => {
  // Replays issue 15: in [{a:1},{a:2,b:'lost?'},{c:3}], b and c were dropped without a word.
  it('are counted and named in the result', async () => {
    const destination = sink();
    const result = await runExport({
      source: [{ a: 1 }, { a: 2, b: 'lost?' }, { c: 3 }],
      format: 'csv',
      destination,
    });
    expect(destination.text()).toBe('a\r\n1\r\n2\r\n\r\n');
    expect(result.droppedFields).toEqual({ count: 2, names: ['b', 'c'] });
  });

  it('fail the export with EXPORT_UNKNOWN_FIELD under unknownFields: error', async () => {
    await expect(
      runExport({
        source: [{ a: 1 }, { a: 2, b: 'x' }],
        format: 'csv',
        unknownFields: 'error',
        destination: sink(),
      }),
    ).rejects.toMatchObject({ code: 'EXPORT_UNKNOWN_FIELD', row: 1, message: /"b"/ });
  });

  it('are checked against given columns from the first record on', async () => {
    const result = await runExport({
      source: [{ a: 1, secret: 's' }],
      format: 'csv',
      columns: ['a'],
      destination: sink(),
    });
    expect(result.droppedFields).toEqual({ count: 1, names: ['secret'] });
  });

  it('list at most ten names but count every value', () => {
    const audit = new FieldAudit('report');
    audit.useColumns(normalizeColumns(['a']));
    for (let row = 0; row < 3; row += 1) {
      const record: Record<string, number> = {};
      for (let field = 0; field < 12; field += 1) record[`f${field}`] = field;
      audit.check(record, row);
    }
    expect(audit.dropped.count).toBe(36);
    expect(audit.dropped.names).toHaveLength(10);
  });

  it('count the extra positions of an array record', () => {
    const audit = new FieldAudit('report');
    audit.useColumns(normalizeColumns(['x', 'y']));
    audit.check([1, 2, 3], 0);
    expect(audit.dropped).toEqual({ count: 1, names: ['2'] });
  });

  it('refuses an unknown policy', async () => {
    await expect(
      runExport({
        source: [],
        format: 'csv',
        unknownFields: 'ignore' as never,
        destination: sink(),
      }),
    ).rejects.toMatchObject({ code: 'EXPORT_INVALID_OPTION', message: /unknownFields/ });
  });
});
