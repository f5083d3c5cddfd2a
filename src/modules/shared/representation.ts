import type { FastifyReply, FastifyRequest } from 'fastify';
import { canRead, type RequestContext } from '../../context.js';

// `Prefer: return=minimal` (RFC 7240), as a token of the header's comma-separated preferences.
const RETURN_MINIMAL = /(^|,)\s*return\s*=\s*"?minimal"?\s*(;|,|$)/i;

/**
 * Whether a write answers without the record: the caller asked (`Prefer: return=minimal`), or
 * its key may not read. Without `read`, a write must not become a way to read (a `PATCH` of
 * `{}` would otherwise show any record).
 */
export function answersMinimal(request: FastifyRequest, ctx: RequestContext): boolean {
  const prefer = request.headers.prefer;
  return !canRead(ctx) || (typeof prefer === 'string' && RETURN_MINIMAL.test(prefer));
}

/**
 * The answer to a write whose status and headers are set: the record, or, when minimal, no
 * body (201 stays 201; 200 becomes 204) with `Preference-Applied: return=minimal`.
 */
export function writeAnswer<T>(request: FastifyRequest, reply: FastifyReply, ctx: RequestContext, record: T): T | FastifyReply {
  if (!answersMinimal(request, ctx)) return record;
  reply.header('preference-applied', 'return=minimal');
  if (reply.statusCode === 200) reply.code(204);
  return reply.send();
}
