import { GraphQLError } from 'graphql';
import mercurius from 'mercurius';
import type { MercuriusContext } from 'mercurius';
import type { ExecutionResult, GraphQLFormattedError } from 'graphql';
import { AppError, toAppError } from '../errors.js';
import { toGraphqlError } from './errors.js';

// graphql-js suggests field names ("Did you mean ...?"); the design asks for no hints.
const withoutHints = (message: string) => message.replace(/ Did you mean .*$/s, '');

// The document itself was refused (syntax, validation, depth): nothing ran.
function documentError(err: { message: string; locations?: unknown }): GraphQLFormattedError {
  const code = err.message.startsWith('Syntax Error') ? 'GRAPHQL_PARSE_FAILED' : 'GRAPHQL_VALIDATION_FAILED';
  return { message: withoutHints(err.message), ...(err.locations ? { locations: err.locations } : {}), extensions: { code } } as GraphQLFormattedError;
}

function formatOne(err: unknown): GraphQLFormattedError[] {
  const gqlError = err instanceof GraphQLError ? err : null;
  const original = gqlError ? gqlError.originalError : err;
  const where = gqlError ? { locations: gqlError.locations, path: gqlError.path } : {};
  // Mercurius gathers parse, validation and depth errors into one MER_ERR_GQL_VALIDATION.
  const inner = (original as { code?: string; errors?: unknown } | undefined)?.errors;
  if ((original as { code?: string } | undefined)?.code === 'MER_ERR_GQL_VALIDATION' && Array.isArray(inner)) {
    return inner.map((e: { message: string }) => documentError(e));
  }
  if (gqlError && !original) return [documentError(gqlError)];
  if (original instanceof GraphQLError && original.extensions?.code) {
    return [{ message: original.message, ...where, extensions: original.extensions } as GraphQLFormattedError];
  }
  const appError = original instanceof AppError ? original : toAppError(original);
  return [{ ...toGraphqlError(appError), ...where } as GraphQLFormattedError];
}

const HTTP_STATUS: Record<string, number> = { UNAUTHENTICATED: 401, SERVICE_UNAVAILABLE: 503 };

/** Wraps mercurius' formatter: same shape, our codes, no internals. */
export function errorFormatter<T extends MercuriusContext>(
  execution: ExecutionResult & Required<Pick<ExecutionResult, 'errors'>>,
  context: T,
) {
  const base = mercurius.defaultErrorFormatter(execution, context);
  const errors = execution.errors.flatMap(formatOne);
  const special = errors.map((e) => HTTP_STATUS[(e.extensions as { code: string }).code]).find(Boolean);
  return { statusCode: special ?? base.statusCode, response: { data: base.response.data ?? null, errors } };
}
