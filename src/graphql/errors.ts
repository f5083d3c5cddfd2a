import { ERRORS, type AppError } from '../errors.js';

export interface GraphqlErrorBody {
  message: string;
  extensions: Record<string, unknown>;
}

/** An AppError in GraphQL's words: the same table as problem+json, keyed by `extensions.code`. */
export function toGraphqlError(err: AppError): GraphqlErrorBody {
  const extensions: Record<string, unknown> = { code: ERRORS[err.code].graphql, ...err.extra };
  if (err.errors?.length) extensions.errors = err.errors;
  const message = err.status >= 500 ? ERRORS[err.code].title : err.message;
  return { message, extensions };
}
