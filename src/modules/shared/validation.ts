import type { z } from 'zod';
import { AppError, type FieldError } from '../../errors.js';
import { fieldErrors } from '../../errors/field-errors.js';

/** Parses service input with its one schema; a failure is a 400 listing every problem. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = fieldErrors(result.error, prefix);
  throw new AppError('validation_failed', 'The input is not valid; see `errors`.', { errors });
}

export const invalid = (errors: FieldError[], detail = 'The input is not valid; see `errors`.') =>
  new AppError('validation_failed', detail, { errors });

const PART_PREFIX: Record<string, string> = { querystring: 'query', params: 'params', headers: 'headers' };

/**
 * Route validation. Bodies pass through untouched: the service parses them with the same
 * schema (the one parse that counts, on REST and GraphQL alike), so a transform never runs
 * twice. Query strings, path parameters and headers are parsed here, with our error shape.
 */
export const routeValidatorCompiler =
  ({ schema, httpPart }: { schema: unknown; httpPart?: string }) =>
  (data: unknown): { value: unknown } | { error: Error } => {
    if (httpPart === 'body') return { value: data };
    const result = (schema as z.ZodType).safeParse(data);
    if (result.success) return { value: result.data };
    const where = httpPart === 'querystring' ? 'the query string' : httpPart === 'params' ? 'the path' : `the ${httpPart ?? 'request'}`;
    const detail = `${where.charAt(0).toUpperCase()}${where.slice(1)} is not valid; see \`errors\`.`;
    return { error: invalid(fieldErrors(result.error, PART_PREFIX[httpPart ?? ''] ?? ''), detail) };
  };
