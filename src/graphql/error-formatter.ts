import { GraphQLError, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import type { MercuriusContext } from 'mercurius';
import { AppError, ERRORS, logAppError } from '../errors.js';
import { fromFastifyError } from '../errors/from-fastify.js';
import { toGraphqlError } from './errors.js';

// graphql-js suggests field names ("Did you mean ...?"); the design asks for no hints.
const withoutHints = (message: string) => message.replace(/ Did you mean .*$/s, '');

/** One formatted error, with what the HTTP answer needs to know of it. */
interface Formatted {
  error: GraphQLFormattedError;
  /** The HTTP status this error asks for when nothing else ran (no data); execution errors ask for none. */
  status?: number;
  headers?: Record<string, string>;
}

const DOCUMENT_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED']);

// The document itself was refused (syntax, validation, limits), or its variables were: nothing ran.
function documentError(err: GraphQLError | { message: string; locations?: unknown }): Formatted {
  const given = err instanceof GraphQLError ? (err.extensions?.code as string | undefined) : undefined;
  // A variable that does not fit its type (`$id` not a UUID, `$first` not an Int) is the
  // caller's input, as a REST body field would be; the document itself was fine.
  const variable = /^Variable "\$(\w+)"(?: got invalid value .*?(?: at "\w+((?:\.\w+|\[\d+\])*)")?;)? ?(.*)$/s.exec(err.message);
  const code = variable
    ? 'BAD_USER_INPUT'
    : given && DOCUMENT_CODES.has(given)
      ? given
      : err.message.startsWith('Syntax Error')
        ? 'GRAPHQL_PARSE_FAILED'
        : 'GRAPHQL_VALIDATION_FAILED';
  const locations = (err as { locations?: unknown }).locations;
  const extensions = variable
    ? { code, errors: [{ path: `variables.${variable[1]}${variable[2] ?? ''}`, message: withoutHints(variable[3] ?? err.message) }] }
    : { code };
  return { error: { message: withoutHints(err.message), ...(locations ? { locations } : {}), extensions } as GraphQLFormattedError, status: 400 };
}

function formatOne(err: unknown, log: MercuriusContext['reply']['log']): Formatted[] {
  const gqlError = err instanceof GraphQLError ? err : null;
  const original = gqlError ? gqlError.originalError : err;
  const where = gqlError?.path ? { locations: gqlError.locations, path: gqlError.path } : {};
  // Mercurius gathers parse and validation errors into one MER_ERR_GQL_VALIDATION.
  const inner = (original as { errors?: unknown } | undefined)?.errors;
  if ((original as { code?: string } | undefined)?.code === 'MER_ERR_GQL_VALIDATION' && Array.isArray(inner)) {
    return inner.map((e: GraphQLError) => documentError(e));
  }
  // Our own limits and parse errors, or graphql-js' validation, name no original error.
  const code = (original instanceof GraphQLError ? original : gqlError)?.extensions?.code as string | undefined;
  if (code && DOCUMENT_CODES.has(code)) return [documentError((original instanceof GraphQLError ? original : gqlError)!)];
  if (gqlError && !original) return [documentError(gqlError)];
  if (original instanceof GraphQLError && code) {
    return [{ error: { message: original.message, ...where, extensions: original.extensions } as GraphQLFormattedError }];
  }
  // Everything else is ours or Fastify's (a body that is not JSON, too large, a missing query).
  const appError = original instanceof AppError ? original : fromFastifyError(original);
  logAppError(log, appError);
  return [{ error: { ...toGraphqlError(appError), ...where } as GraphQLFormattedError, status: appError.status, headers: appError.headers }];
}

/**
 * Mercurius' error formatter, replaced: our codes from the one table, no internals, and the HTTP
 * status of GraphQL over HTTP. A refused request (no key, too many requests, a body that is
 * not JSON, a document over the limits) answers its own status; errors in fields while data
 * came back answer 200; SERVICE_UNAVAILABLE is a 503 with Retry-After wherever it arose.
 */
export function errorFormatter<T extends MercuriusContext>(execution: ExecutionResult & Required<Pick<ExecutionResult, 'errors'>>, context: T) {
  const log = context.reply?.log ?? context.app.log;
  const formatted = execution.errors.flatMap((err) => formatOne(err, log));
  for (const f of formatted) if (f.headers) context.reply?.headers(f.headers);
  const unavailable = formatted.find((f) => f.status === ERRORS.unavailable.status);
  const refused = formatted.find((f) => f.status !== undefined && !('path' in f.error && f.error.path));
  const statusCode = unavailable ? 503 : !execution.data && refused?.status ? refused.status : 200;
  if (unavailable && !context.reply?.getHeader('retry-after')) context.reply?.header('retry-after', '5');
  return { statusCode, response: { data: execution.data ?? null, errors: formatted.map((f) => f.error) } };
}
