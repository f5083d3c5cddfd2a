import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import fp from 'fastify-plugin';
import FindMyWay from 'find-my-way';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERRORS, logAppError, type ErrorCode } from '../errors.js';
import { fromFastifyError } from '../errors/from-fastify.js';
import { withoutKeys } from '../logging.js';

/** The longest request target answered; a longer one is a 414 (Node refuses past 16 KB of headers: 431). */
export const MAX_URL_LENGTH = 8192;

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** An RFC 9457 problem body. */
export function problemBody(code: ErrorCode, detail: string, requestId: string, extra: Record<string, unknown> = {}) {
  const status = ERRORS[code].status;
  return {
    type: `urn:problem:${code}`,
    title: ERRORS[code].title,
    status,
    // A 5xx says only what the table says: no stack, no SQL, no internal message.
    detail: status >= 500 ? ERRORS[code].title : detail,
    code,
    ...extra,
    requestId,
  };
}

/** problem+json (RFC 9457); GraphQL's routes have their own translator (graphql/error-formatter.ts). */
export function sendError(request: FastifyRequest, reply: FastifyReply, err: AppError) {
  logAppError(request.log, err);
  if (err.headers) reply.headers(err.headers);
  const body = problemBody(err.code, withoutKeys(err.message), request.id, { ...err.extra, ...(err.errors?.length ? { errors: err.errors } : {}) });
  return reply.status(err.status).type('application/problem+json; charset=utf-8').serializer(JSON.stringify).send(body);
}

/**
 * Errors Node's HTTP parser meets before Fastify has a request: headers over 16 KB (431), a
 * request that is not HTTP (400). Answered as problems on the raw socket, then closed.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const code: ErrorCode = err.code === 'HPE_HEADER_OVERFLOW' ? 'headers_too_large' : 'bad_request';
  const detail = code === 'headers_too_large' ? 'The request line and headers exceed 16 KB.' : 'The request is not valid HTTP.';
  const body = JSON.stringify(problemBody(code, detail, randomUUID()));
  socket.end(
    `HTTP/1.1 ${ERRORS[code].status} ${ERRORS[code].title}\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export default fp(
  async (app) => {
    // A shadow of the router, to tell "no such path" (404) from "not with this method" (405).
    const shadow = FindMyWay({ maxParamLength: 1000, defaultRoute: () => undefined });
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        if (METHODS.includes(method as (typeof METHODS)[number]) && !shadow.hasRoute(method as never, route.url)) {
          shadow.on(method as never, route.url, () => undefined);
        }
      }
    });
    const allowedMethods = (url: string) => METHODS.filter((method) => shadow.find(method, url) !== null);

    app.addHook('onRequest', async (request) => {
      if (request.url.length > MAX_URL_LENGTH) {
        throw new AppError('uri_too_long', `The request target is ${request.url.length} characters; at most ${MAX_URL_LENGTH} are answered.`);
      }
    });

    app.setErrorHandler((err, request, reply) => sendError(request, reply, fromFastifyError(err)));
    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?', 1)[0] as string;
      const allowed = allowedMethods(path);
      if (allowed.length > 0) {
        reply.header('allow', allowed.join(', '));
        return sendError(request, reply, new AppError('method_not_allowed', `${request.method} is not allowed here; allowed: ${allowed.join(', ')}.`));
      }
      return sendError(request, reply, new AppError('not_found', `No route ${request.method} ${path}.`));
    });
  },
  { name: 'errors' },
);
