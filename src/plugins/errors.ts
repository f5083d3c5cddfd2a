import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERRORS } from '../errors.js';
import { fromFastifyError } from '../errors/from-fastify.js';
import { toGraphqlError } from '../graphql/errors.js';

const isGraphqlPath = (url: string) => url.split('?', 1)[0] === '/graphql';

/** problem+json (RFC 9457) for REST; GraphQL's `{ data, errors }` on /graphql. */
export function sendError(request: FastifyRequest, reply: FastifyReply, err: AppError) {
  if (err.status >= 500) request.log.error({ err: err.cause ?? err }, 'request failed');
  else request.log.info({ code: err.code }, err.message);
  if (err.headers) reply.headers(err.headers);
  reply.status(err.status);
  if (isGraphqlPath(request.url)) {
    return reply.type('application/json; charset=utf-8').send({ data: null, errors: [toGraphqlError(err)] });
  }
  const body: Record<string, unknown> = {
    type: `urn:problem:${err.code}`,
    title: ERRORS[err.code].title,
    status: err.status,
    // A 5xx says only what the table says: no stack, no SQL, no internal message.
    detail: err.status >= 500 ? ERRORS[err.code].title : err.message,
    code: err.code,
    ...err.extra,
    ...(err.errors?.length ? { errors: err.errors } : {}),
    requestId: request.id,
  };
  return reply.type('application/problem+json; charset=utf-8').serializer(JSON.stringify).send(body);
}

export default fp(
  async (app) => {
    app.setErrorHandler((err, request, reply) => sendError(request, reply, fromFastifyError(err)));
    app.setNotFoundHandler((request, reply) =>
      sendError(request, reply, new AppError('not_found', `No route ${request.method} ${request.url.split('?', 1)[0]}.`)),
    );
  },
  { name: 'errors' },
);
