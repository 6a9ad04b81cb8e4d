import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { build, type ExecutorApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

let app: ExecutorApp | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function appWithLogLines(env: NodeJS.ProcessEnv = {}) {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString()));
      callback();
    },
  });
  app = await build({
    config: loadConfig({ EXPORT_DIR: mkdtempSync(join(tmpdir(), 'export-log-')), ...env }),
    logger: { level: 'info', stream },
    registry: new Registry(),
  });
  await app.lifecycle.started();
  return { app, lines };
}

describe('the export log', () => {
  it('has one line per finished export with id, format, rows, bytes, duration and outcome', async () => {
    const { app, lines } = await appWithLogLines();
    const response = await app.inject({
      method: 'POST',
      url: '/export/run',
      payload: { format: 'csv', data: [{ a: 1 }, { a: 2 }], user: 'alice' },
    });
    const exportLines = lines.filter((line) => line.msg === 'export finished');
    expect(exportLines).toHaveLength(1);
    expect(exportLines[0]).toMatchObject({
      exportId: response.json().result.id,
      format: 'csv',
      user: 'alice',
      rows: 2,
      bytes: response.json().result.bytes,
      durationMs: expect.any(Number),
      outcome: 'success',
      reqId: expect.any(String),
    });
  });

  it('has one line for an export that did not finish, with its outcome and code', async () => {
    const { app, lines } = await appWithLogLines();
    await app.inject({
      method: 'POST',
      url: '/export/stream?format=csv',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: 'nope\n',
    });
    expect(lines.filter((line) => line.msg === 'export did not finish')).toEqual([
      expect.objectContaining({
        format: 'csv',
        outcome: 'failure',
        reason: 'validation',
        code: 'EXPORT_INVALID_RECORD',
      }),
    ]);
  });

  it('warns once at boot that the API is open when no tokens are set', async () => {
    const { lines } = await appWithLogLines();
    expect(
      lines.filter((line) => String(line.msg).includes('EXPORT_API_TOKENS is not set')),
    ).toHaveLength(1);
  });

  it('never logs the tokens', async () => {
    const token = 'secretsecretsecret1';
    const { app, lines } = await appWithLogLines({ EXPORT_API_TOKENS: `${token}:alice` });
    await app.inject({
      method: 'POST',
      url: '/export/run',
      headers: { authorization: `Bearer ${token}` },
      payload: { format: 'csv', data: [{ a: 1 }] },
    });
    await app.inject({
      method: 'GET',
      url: '/export/status',
      headers: { authorization: 'Bearer wrongwrongwrongwrong' },
    });
    expect(JSON.stringify(lines)).not.toContain(token);
    expect(JSON.stringify(lines)).not.toContain('wrongwrongwrongwrong');
  });
});

describe('what the file could not hold, in the log line', () => {
  it('names the dropped fields and the cut PDF cells, and leaves them out when there are none', async () => {
    const { app, lines } = await appWithLogLines();
    await app.inject({
      method: 'POST',
      url: '/export/run',
      payload: {
        format: 'pdf',
        columns: ['a', { key: 'note', width: 40 }],
        data: [{ a: 1, note: 'a note far too long for forty points', lost: true }],
      },
    });
    await app.inject({
      method: 'POST',
      url: '/export/run',
      payload: { format: 'csv', data: [{ a: 1 }] },
    });
    const [lossy, whole] = lines.filter((line) => line.msg === 'export finished');
    expect(lossy).toMatchObject({
      droppedFields: { count: 1, names: ['lost'] },
      truncatedCells: { count: 1, columns: ['note'] },
    });
    expect(whole).not.toHaveProperty('droppedFields');
    expect(whole).not.toHaveProperty('truncatedCells');
  });
});
