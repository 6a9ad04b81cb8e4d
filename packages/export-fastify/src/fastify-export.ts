import { type ExportRecord, fromNdjson } from '@org/export-core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ndjsonContentType, ndjsonUploadOf } from './ndjson-upload.js';
import { type FastifyExportOptions, normalizePluginOptions } from './normalize-plugin-options.js';
import type { ReplyExportOptions } from './normalize-reply-export-options.js';
import { streamExport } from './stream-export.js';

declare module 'fastify' {
  interface FastifyReply {
    /**
     * Streams one export as the response; returns the reply, as `reply.send` does (so
     * `return reply.export(…)`). See the README of @org/export-fastify.
     */
    export<Row = unknown>(options: ReplyExportOptions<Row>): this;
  }
  interface FastifyRequest {
    /**
     * The records of an NDJSON upload, parsed as they arrive (with the plugin's `ndjson`
     * options); throws EXPORT_FASTIFY_NOT_NDJSON (415) for any other request.
     */
    ndjsonRecords(): AsyncIterable<ExportRecord>;
  }
}

async function fastifyExportPlugin(app: FastifyInstance, options: FastifyExportOptions) {
  const { limiter, limiterKey, metrics, ndjson } = normalizePluginOptions(options);
  // Loaded only when asked for: without metrics, neither it nor prom-client need be installed.
  const observe = metrics ? (await import('@org/export-metrics')).observeExport : undefined;
  const settings = {
    limiter,
    limiterKey,
    metrics: metrics && observe ? { families: metrics, observe } : undefined,
  };

  // The upload stays a stream: the export reads it line by line as the client sends it.
  app.addContentTypeParser(ndjsonContentType, (_request, payload, done) => done(null, payload));
  app.decorateRequest('ndjsonRecords', function ndjsonRecords(this: FastifyRequest) {
    return fromNdjson(ndjsonUploadOf(this), ndjson);
  });
  app.decorateReply('export', function replyExport<
    Row,
  >(this: FastifyReply, exportOptions: ReplyExportOptions<Row>) {
    return streamExport(this, exportOptions, settings);
  });
}

/**
 * `reply.export(options)`, `request.ndjsonRecords()` and an `application/x-ndjson` body parser
 * that leaves the upload a stream, for the context that registers it and its children.
 */
export const fastifyExport = fp(fastifyExportPlugin, {
  fastify: '5.x',
  name: '@org/export-fastify',
});
