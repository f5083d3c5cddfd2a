import { ERRORS, type AppError } from '../errors.js';

export interface GraphqlErrorBody {
  message: string;
  extensions: Record<string, unknown>;
}

/** An AppError in GraphQL's words: the same table as problem+json, keyed by `extensions.code`. */
export function toGraphqlError(err: AppError): GraphqlErrorBody {
  const extensions: Record<string, unknown> = { code: ERRORS[err.code].graphql, ...err.extra };
  // A forbidden transition's next states, as the enum values a GraphQL client compares them to.
  if (Array.isArray(extensions.allowed)) extensions.allowed = extensions.allowed.map((v) => (typeof v === 'string' ? v.toUpperCase() : v));
  if (err.errors?.length) extensions.errors = err.errors;
  const message = err.status >= 500 ? ERRORS[err.code].title : err.message;
  return { message, extensions };
}
