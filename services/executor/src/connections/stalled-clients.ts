import type { IncomingMessage, ServerOptions, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyBaseLogger, FastifyInstance } from 'fastify';
import { errorResponse } from '../error-response.js';
import { HeadersTooLargeError, InvalidRequestError, RequestTimeoutError } from '../errors.js';

export interface ClientTimeoutOptions {
  /** Seconds a client has to send a whole request, headers and body (EXPORT_REQUEST_TIMEOUT_S). */
  requestTimeoutSeconds: number;
  /**
   * Seconds a connection may move no byte while the server waits on its client, to send the
   * body or to read the answer (EXPORT_IDLE_TIMEOUT_S).
   */
  idleTimeoutSeconds: number;
}

export interface StalledClients {
  /** Spread into `Fastify({ … })`. */
  readonly serverOptions: {
    requestTimeout: number;
    connectionTimeout: number;
    http: ServerOptions;
    clientErrorHandler: (this: FastifyInstance, error: ConnectionError, socket: Socket) => void;
  };
  /** Follows the request each connection carries, and closes connections whose client stalls. */
  watch(app: FastifyInstance): void;
}

/** The request a connection carries now, as its onRequest hook saw it. */
interface Exchange {
  request: IncomingMessage;
  response: ServerResponse;
  log: FastifyBaseLogger;
}

/**
 * Bounds what a client can hold: a request must arrive whole within the request timeout (Node's
 * `requestTimeout`), and a connection on which the server waits for its client, to send the body
 * or to read the answer, is closed once idle for the idle timeout (the socket timeout). A
 * connection that is idle because the server works on the answer (an export queued or running
 * before its first byte) is left alone: that wait is the export timeout's to bound.
 */
export function stalledClients({
  requestTimeoutSeconds,
  idleTimeoutSeconds,
}: ClientTimeoutOptions): StalledClients {
  const requestTimeout = requestTimeoutSeconds * 1000;
  const exchanges = new WeakMap<Socket, Exchange>();

  /** The answer has started and is not over: nothing more may be written around it. */
  const answering = (socket: Socket) => {
    const response = exchanges.get(socket)?.response;
    return response?.headersSent === true && !response.writableFinished;
  };

  function handleClientError(this: FastifyInstance, error: ConnectionError, socket: Socket) {
    // Reset by the peer, or already closed: nobody to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const refusal =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new RequestTimeoutError(requestTimeoutSeconds)
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? new HeadersTooLargeError()
          : new InvalidRequestError('the request is not valid HTTP/1.1');
    const response = errorResponse(refusal);
    const log = exchanges.get(socket)?.log ?? this.log;
    // A cut slow client is worth an operator's notice; garbage from a scanner is not.
    const level = refusal.statusCode === 408 ? 'info' : 'debug';
    log[level]({ code: response.code, err: error }, 'connection closed: client error');
    // A status line written into a file already on its way would corrupt it: only cut it.
    if (socket.writable && !answering(socket)) {
      const body = JSON.stringify(response);
      socket.write(
        `HTTP/1.1 ${response.statusCode} ${response.error}\r\n` +
          'content-type: application/json; charset=utf-8\r\n' +
          `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy(error);
  }

  function onIdle(socket: Socket) {
    const exchange = exchanges.get(socket);
    const waitingFor = clientWaitedFor(socket, exchange);
    if (waitingFor === undefined) return;
    if (waitingFor !== 'the next request') {
      exchange?.log.info({ idleTimeoutSeconds, waitingFor }, 'connection closed: client stalled');
    }
    socket.destroy();
  }

  return {
    serverOptions: {
      requestTimeout,
      connectionTimeout: idleTimeoutSeconds * 1000,
      http: {
        requestTimeout,
        // Node swaps the two when the headers timeout is the longer.
        headersTimeout: Math.min(60_000, requestTimeout),
        // How often Node looks for late requests (30 s by default): a tenth of the timeout.
        connectionsCheckingInterval: Math.min(30_000, requestTimeout / 10),
      },
      clientErrorHandler: handleClientError,
    },
    watch(app) {
      app.addHook('onRequest', (request, reply, done) => {
        exchanges.set(request.raw.socket, {
          request: request.raw,
          response: reply.raw,
          log: request.log,
        });
        done();
      });
      // With a listener, Node leaves the decision to close an idle connection to it.
      app.server.on('timeout', onIdle);
    },
  };
}

/** What the server waits for from the client on an idle connection; undefined: it waits on itself. */
function clientWaitedFor(socket: Socket, exchange: Exchange | undefined) {
  if (exchange === undefined || exchange.response.writableFinished) return 'the next request';
  if (socket.writableLength > 0 || exchange.response.writableNeedDrain) {
    return 'the answer to be read';
  }
  const { request } = exchange;
  // The body is being read and nothing of it waits in the buffer: the client sends nothing.
  if (!request.complete && request.readableLength < request.readableHighWaterMark) {
    return 'the request body';
  }
  return undefined;
}
