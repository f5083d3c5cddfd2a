import type { z } from 'zod';
import { AppError, type FieldError } from '../../errors.js';

export const issuePath = (path: readonly PropertyKey[]): string => path.map(String).join('.') || '(root)';

/** Zod issues as our field errors, one per problem, by path. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return { path: issuePath(issue.path) === '(root)' ? issue.keys.join(', ') : `${issuePath(issue.path)}.${issue.keys.join(', ')}`, message: `unknown or server-owned field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}` };
    }
    return { path: issuePath(issue.path), message: issue.message };
  });
}

/** Parses service input with its one schema; a failure is a 400 listing every problem. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = fieldErrors(result.error).map((e) => ({ ...e, path: prefix ? `${prefix}.${e.path}` : e.path }));
  throw new AppError('validation_failed', 'The input is not valid; see `errors`.', { errors });
}

export const invalid = (errors: FieldError[], detail = 'The input is not valid; see `errors`.') =>
  new AppError('validation_failed', detail, { errors });
