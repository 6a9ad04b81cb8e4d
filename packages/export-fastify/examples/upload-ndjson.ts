import { fastifyExport } from '@org/export-fastify';
import Fastify from 'fastify';

interface UploadQuery {
  format?: 'csv' | 'pdf';
  title?: string;
  nullText?: string;
}

export async function buildUploadApp() {
  const app = Fastify();
  // Lines of at most 64 KiB: a longer one is a 413 EXPORT_LINE_TOO_LONG.
  await app.register(fastifyExport, { ndjson: { maxLineBytes: 64 * 1024 } });

  // curl -H 'content-type: application/x-ndjson' --data-binary @trades.ndjson '…/convert?format=pdf'
  app.post('/convert', async (request, reply) => {
    // What the client may choose, picked field by field: never the query spread into options.
    const { format = 'csv', title, nullText } = request.query as UploadQuery;
    // Each format takes its own options only: a title is the PDF's.
    const formatOptions =
      format === 'pdf' ? { format, pdf: { title: title ?? 'Converted' } } : { format };
    return reply.export({
      filename: `converted.${format}`,
      source: request.ndjsonRecords(),
      ...(nullText === undefined ? {} : { nullText }),
      ...formatOptions,
    });
  });
  return app;
}
