import { GraphQLError } from 'graphql';
import mercurius from 'mercurius';
import type { MercuriusContext } from 'mercurius';
import type { ExecutionResult, GraphQLFormattedError } from 'graphql';
import { AppError, toAppError } from '../errors.js';
import { toGraphqlError } from './errors.js';

// graphql-js suggests field names ("Did you mean ...?"); the design asks for no hints.
const withoutHints = (message: string) => message.replace(/ Did you mean .*$/s, '');

function formatOne(err: unknown): GraphQLFormattedError {
  const gqlError = err instanceof GraphQLError ? err : null;
  const original = gqlError ? gqlError.originalError : err;
  const where = gqlError ? { locations: gqlError.locations, path: gqlError.path } : {};
  if (gqlError && !original) {
    // No original error: graphql-js refused the document itself (syntax, validation, limits).
    const code = gqlError.message.startsWith('Syntax Error') ? 'GRAPHQL_PARSE_FAILED' : 'GRAPHQL_VALIDATION_FAILED';
    return { message: withoutHints(gqlError.message), ...where, extensions: { ...gqlError.extensions, code } } as GraphQLFormattedError;
  }
  if (original instanceof GraphQLError && original.extensions?.code) {
    return { message: original.message, ...where, extensions: original.extensions } as GraphQLFormattedError;
  }
  // Mercurius wraps validation failures of its own (depth limit) without an AppError.
  const appError = original instanceof AppError ? original : toAppError(original);
  return { ...toGraphqlError(appError), ...where } as GraphQLFormattedError;
}

const HTTP_STATUS: Record<string, number> = { UNAUTHENTICATED: 401, SERVICE_UNAVAILABLE: 503 };

/** Wraps mercurius' formatter: same shape, our codes, no internals. */
export function errorFormatter<T extends MercuriusContext>(
  execution: ExecutionResult & Required<Pick<ExecutionResult, 'errors'>>,
  context: T,
) {
  const base = mercurius.defaultErrorFormatter(execution, context);
  const errors = execution.errors.map(formatOne);
  const special = errors.map((e) => HTTP_STATUS[(e.extensions as { code: string }).code]).find(Boolean);
  return { statusCode: special ?? base.statusCode, response: { data: base.response.data ?? null, errors } };
}
