import type { FastifyInstance } from 'fastify';
import { continueOnceChecked } from '../connections/expectations.js';
import { refuseNonUtf8Body } from '../exports/body-charset.js';
import { refuseEncodedBody } from '../exports/body-encoding.js';
import { type JsonExportBodyOptions, jsonExportBodyParser } from '../exports/json-export-body.js';

/**
 * How the export plugin's context reads bodies: JSON checked as it arrives with its records
 * kept as bytes, NDJSON left to the routes, nothing else; never another charset or an encoding.
 */
export function addExportBodyParsing(app: FastifyInstance, limits: JsonExportBodyOptions): void {
  // Exports take JSON or NDJSON only; any other body type is a 415, not a confusing 400.
  app.removeContentTypeParser('text/plain');
  // A JSON body is checked as it arrives and its records stay bytes (json-export-body.ts).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', jsonExportBodyParser(limits));
  app.decorateRequest('exportRecords', undefined);
  // Bodies are read as UTF-8: one declared in another charset is refused before it is read.
  app.addHook('preParsing', refuseNonUtf8Body);
  // Nor are they decoded: a gzip body read as JSON would be refused as garbage, or worse.
  app.addHook('preParsing', refuseEncodedBody);
  // Last: a body refused above was never asked for (`Expect: 100-continue`).
  app.addHook('preParsing', continueOnceChecked);
}
