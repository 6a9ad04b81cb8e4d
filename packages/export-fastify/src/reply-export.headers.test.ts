import { describe, expect, it } from 'vitest';
import { buildApp } from './test-helpers/build-app.js';
import { trades } from './test-helpers/records.js';

describe('reply.export headers', () => {
  it('sends the CSV with its content type and the default name export.csv', async () => {
    const app = await buildApp((routes) => {
      routes.get('/trades', async (_request, reply) =>
        reply.export({ format: 'csv', source: trades, csv: { profile: 'rfc4180' } }),
      );
    });
    const response = await app.inject({ method: 'GET', url: '/trades' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="export.csv"');
    expect(response.body).toBe('id,symbol,qty\r\n1,ACME,10\r\n2,İNİT,-3\r\n');
  });

  it('sends a PDF as application/pdf, named export.pdf by default', async () => {
    const app = await buildApp((routes) => {
      routes.get('/trades.pdf', async (_request, reply) =>
        reply.export({ format: 'pdf', source: trades, pdf: { title: 'Trades' } }),
      );
    });
    const response = await app.inject({ method: 'GET', url: '/trades.pdf' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe('attachment; filename="export.pdf"');
    expect(response.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(response.rawPayload.subarray(-6).toString()).toContain('%%EOF');
  });

  it.each([
    ['trades-2024.csv', 'attachment; filename="trades-2024.csv"'],
    [
      'Şükrü report.csv',
      `attachment; filename="Sukru report.csv"; filename*=UTF-8''%C5%9E%C3%BCkr%C3%BC%20report.csv`,
    ],
    ['a"\r\nSet-Cookie: x.csv', 'attachment; filename="a___Set-Cookie: x.csv"'],
  ])('names the file %j safely in Content-Disposition', async (filename, disposition) => {
    const app = await buildApp((routes) => {
      routes.get('/trades', async (_request, reply) =>
        reply.export({ format: 'csv', filename, source: trades }),
      );
    });
    const response = await app.inject({ method: 'GET', url: '/trades' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toBe(disposition);
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('sends an export that wrote no byte as an empty file, not as a hung request', async () => {
    const app = await buildApp((routes) => {
      routes.get('/empty', async (_request, reply) =>
        reply.export({
          format: 'csv',
          run: async ({ destination }) => {
            destination.end();
            return {
              format: 'csv',
              rows: 0,
              bytes: 0,
              sha256: '',
              durationMs: 0,
              droppedFields: { count: 0, names: [] },
              truncatedCells: { count: 0, columns: [] },
            };
          },
        }),
      );
    });
    const response = await app.inject({ method: 'GET', url: '/empty' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toBe('attachment; filename="export.csv"');
    expect(response.body).toBe('');
  });

  it('sends the headers given with the file, and keeps them off an error answer', async () => {
    const app = await buildApp((routes) => {
      routes.get('/trades', async (request, reply) =>
        reply.export({
          format: 'csv',
          headers: { 'x-export-id': 'abc-123', 'cache-control': 'no-store' },
          source: (request.query as { bad?: string }).bad ? ([1] as unknown[]) : trades,
        }),
      );
    });
    const sent = await app.inject({ method: 'GET', url: '/trades' });
    expect(sent.headers['x-export-id']).toBe('abc-123');
    expect(sent.headers['cache-control']).toBe('no-store');
    const refused = await app.inject({ method: 'GET', url: '/trades?bad=1' });
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['x-export-id']).toBeUndefined();
  });
});
