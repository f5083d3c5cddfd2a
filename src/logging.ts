import type { FastifyRequest, FastifyServerOptions } from 'fastify';
import pino from 'pino';
import type { Config } from './config.js';
import { databaseErrorSummary, isStatementError } from './db/db-error-summary.js';

// What reaches a log: never a key, never the values a statement carried.

// An API key wherever it appears (a path segment, a query value, a message).
const KEY_MATERIAL = /iik_[0-9a-f]{12}_[A-Za-z0-9_-]+/g;
// Query parameters whose name says they carry a credential: `?api_key=…`, `?token=…`.
const SECRET_PARAM = /key|token|secret|password|passwd|auth|signature|session/i;

/** Text with any API key in it replaced. */
export const withoutKeys = (text: string): string => text.replace(KEY_MATERIAL, '[redacted]');

/** A request URL as a log may show it: credential-like query values and key material redacted. */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return withoutKeys(url);
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      return eq >= 0 && SECRET_PARAM.test(safeDecode(name)) ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return withoutKeys(`${url.slice(0, at)}?${query}`);
}

const safeDecode = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/** Errors for the log: a statement's error as a summary without values; others as pino shows them. */
export function errorForLog(err: unknown): unknown {
  if (err === null || typeof err !== 'object') return err;
  if (isStatementError(err)) return databaseErrorSummary(err);
  // A GraphQL error copies its cause's message; the cause says what to show.
  const original = (err as { originalError?: unknown }).originalError;
  if (original && original !== err) return errorForLog(original);
  if (!(err instanceof Error)) return err;
  const serialized = pino.stdSerializers.err(err) as unknown as Record<string, unknown>;
  if (typeof serialized.message === 'string') serialized.message = withoutKeys(serialized.message);
  if (typeof serialized.stack === 'string') serialized.stack = withoutKeys(serialized.stack);
  return serialized;
}

const requestForLog = (request: FastifyRequest) => ({
  method: request.method,
  url: redactUrl(request.url),
  host: request.host,
  remoteAddress: request.ip,
  remotePort: request.socket?.remotePort,
});

export function loggerOptions(config: Config, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  return {
    level: config.LOG_LEVEL,
    // Keys never reach a log: the header, and any secret-bearing field a log call might carry.
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', '*.secret', '*.secretHash', 'secret'],
      censor: '[redacted]',
    },
    serializers: { err: errorForLog as never, req: requestForLog as never },
    // Written asynchronously (flushed at exit): under load, lines coalesce into few writes
    // instead of a blocking write per line.
    stream: stream ?? pino.destination({ dest: 1, sync: false, minLength: 0 }),
  };
}
