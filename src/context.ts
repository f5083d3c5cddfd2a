import type { FastifyBaseLogger } from 'fastify';
import { apiKeyScopes } from './db/schema/api-keys.js';
import { AppError } from './errors.js';

/** The scopes a key may have: the list the api_keys table checks (one definition). */
export const SCOPES = apiKeyScopes;
export type Scope = (typeof SCOPES)[number];

/** Who is calling: what every service receives first, on both surfaces. */
export interface RequestContext {
  tenantId: string;
  apiKey: { id: string; name: string; scopes: Scope[] };
  requestId: string;
  log: FastifyBaseLogger;
}

/** Services call this first: the same scope rule on REST and GraphQL. */
export function requireScope(ctx: RequestContext, scope: Scope): void {
  if (!ctx.apiKey.scopes.includes(scope)) {
    throw new AppError('forbidden', `This API key lacks the '${scope}' scope.`, { extra: { requiredScope: scope } });
  }
}

/**
 * Scopes do not imply one another (domain.md): a key with `write` and no `read` may change
 * records but not see them, so its writes answer without the record (REST: no body).
 */
export const canRead = (ctx: RequestContext): boolean => ctx.apiKey.scopes.includes('read');
