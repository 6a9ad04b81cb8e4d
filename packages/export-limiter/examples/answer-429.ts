import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runExport } from '@org/export-core';
import {
  createLimiter,
  LimiterError,
  LimiterKeyQueueFullError,
  LimiterQueueFullError,
} from '@org/export-limiter';
import Fastify, { type FastifyRequest } from 'fastify';

interface ExportBody {
  format: 'csv' | 'pdf';
  title?: string;
}

const exportBodySchema = {
  type: 'object',
  required: ['format'],
  additionalProperties: false,
  properties: {
    format: { enum: ['csv', 'pdf'] },
    title: { type: 'string', maxLength: 200 },
  },
} as const;

/** The rows to export come from the server's data, never from the request. */
function* tradesOf(user: string, count: number) {
  for (let id = 1; id <= count; id += 1) yield { id, user, symbol: 'ACME', qty: id % 100 };
}

/** Your authentication decides who the user is; a fixed token table stands in for it here. */
const users = new Map([
  ['alice-token', 'alice'],
  ['bob-token', 'bob'],
]);
function userOf(request: FastifyRequest): string | undefined {
  return users.get(request.headers.authorization?.replace(/^Bearer /, '') ?? '');
}

export async function buildApp(options: { folder: string; rowsPerExport: number }) {
  const { folder, rowsPerExport } = options;
  // The files go where the server says: create the folder once, at startup.
  await mkdir(folder, { recursive: true });
  const limiter = createLimiter({
    maxConcurrent: 2,
    maxQueue: 10,
    maxPerKey: 1,
    maxQueuedPerKey: 2,
  });
  const app = Fastify();
  app.addHook('onClose', () => limiter.close({ timeoutMs: 5_000 }));

  app.post<{ Body: ExportBody }>(
    '/exports',
    { schema: { body: exportBodySchema } },
    async (request, reply) => {
      const user = userOf(request);
      if (user === undefined) return reply.code(401).send({ code: 'UNAUTHORIZED' });
      const controller = new AbortController();
      // The client went away: free its place in the queue, or stop its export.
      reply.raw.on('close', () => {
        if (!reply.raw.writableFinished) controller.abort();
      });
      // Only what a client may choose, picked field by field: never `...request.body`, which
      // would let it choose `destination` (where a file is written) or `pdf.font` (a file read).
      const { format, title } = request.body;
      // Each format takes its own options only.
      const formatOptions =
        format === 'pdf' ? { format, pdf: { title: title ?? 'Trades' } } : { format };
      try {
        const result = await limiter.run(
          (signal) =>
            runExport({
              source: tradesOf(user, rowsPerExport),
              destination: join(folder, `${randomUUID()}.${format}`),
              signal,
              ...formatOptions,
            }),
          { key: user, signal: controller.signal },
        );
        return { rows: result.rows, bytes: result.bytes, sha256: result.sha256 };
      } catch (error) {
        if (error instanceof LimiterQueueFullError || error instanceof LimiterKeyQueueFullError) {
          return reply
            .code(429)
            .header('retry-after', String(error.retryAfterSeconds))
            .send({ code: error.code, message: error.message });
        }
        if (error instanceof LimiterError && error.code !== 'LIMITER_ABORTED') {
          // Closed (shutting down) or waited too long: try again later.
          return reply.code(503).send({ code: error.code, message: error.message });
        }
        throw error;
      }
    },
  );
  return app;
}
