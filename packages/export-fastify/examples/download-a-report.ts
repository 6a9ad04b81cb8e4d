import { fastifyExport } from '@org/export-fastify';
import Fastify from 'fastify';

/** Stands in for a database cursor: rows are read as the client downloads them. */
async function* tradesOf(desk: string) {
  for (let id = 1; id <= 3; id += 1) {
    yield { id, desk, trader: 'Şükrü', pnl: id * 1.5, bookedAt: new Date(Date.UTC(2024, 4, id)) };
  }
}

export async function buildReportApp() {
  const app = Fastify();
  await app.register(fastifyExport);

  app.get('/desks/:desk/trades.csv', async (request, reply) => {
    const { desk } = request.params as { desk: string };
    return reply.export({
      format: 'csv',
      // Sanitized by the plugin: a desk named `a"\r\nSet-Cookie: x` cannot reach a header.
      filename: `trades ${desk}.csv`,
      source: tradesOf(desk),
      columns: ['id', 'trader', { key: 'pnl', header: 'PnL' }, 'bookedAt'],
    });
  });

  app.get('/desks/:desk/trades.pdf', async (request, reply) => {
    const { desk } = request.params as { desk: string };
    return reply.export({
      format: 'pdf',
      filename: `trades ${desk}.pdf`,
      source: tradesOf(desk),
      pdf: { title: `Trades of ${desk}` },
    });
  });
  return app;
}
