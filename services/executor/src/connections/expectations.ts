import { type Server, STATUS_CODES } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorResponse } from '../error-response.js';
import { ExpectationFailedError } from '../errors.js';
import { quotedForMessage } from '../quoted-for-message.js';

/**
 * `Expect` as RFC 9110 §10.1.1 has it. `100-continue` is answered only once the request has
 * passed its checks (`continueOnceChecked`, after authentication), so a client refused with a 401 or
 * a 415 never sends its body; any other expectation is a 417 in the usual error shape, not
 * Node's bare one.
 */
export function handleExpectations(app: FastifyInstance): void {
  const server = app.server as Server;
  // With a listener, Node sends no 100 itself: the request goes on to the app as usual.
  server.on('checkContinue', (request, response) => server.emit('request', request, response));
  server.on('checkExpectation', (request, response) => {
    const expectation = quotedForMessage(String(request.headers.expect));
    const error = {
      ...errorResponse(new ExpectationFailedError(expectation)),
      error: STATUS_CODES[417],
    };
    const body = JSON.stringify(error);
    response.writeHead(417, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      connection: 'close',
    });
    response.end(body);
  });
}

/**
 * A preParsing hook, added after the checks that may refuse a body unread: the 100 that tells a
 * client waiting on `Expect: 100-continue` to send its body.
 */
export async function continueOnceChecked(request: FastifyRequest, reply: FastifyReply) {
  const expect = request.headers.expect;
  if (expect !== undefined && /^\s*100-continue\s*$/i.test(expect) && !reply.raw.headersSent) {
    reply.raw.writeContinue();
  }
}
