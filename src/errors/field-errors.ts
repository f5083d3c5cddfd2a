import type { z } from 'zod';
import type { FieldError } from '../errors.js';

// zod's issues in the words of our errors: one field error per problem, by the path the caller wrote.

type Issue = Pick<z.core.$ZodIssue, 'path' | 'message'> & { code?: string; keys?: string[] };

/** One zod issue as field errors: an unknown field is named by its own path. */
export function issueErrors(issue: Issue, prefix = ''): FieldError[] {
  const base = [prefix, ...issue.path.map(String)].filter(Boolean);
  if (issue.code === 'unrecognized_keys' && issue.keys?.length) {
    return issue.keys.map((key) => ({ path: [...base, key].join('.'), message: 'is not a field of this input (unknown or server-owned)' }));
  }
  return [{ path: base.join('.') || '(root)', message: issue.message }];
}

/** Zod issues as our field errors, one per problem, by path. */
export function fieldErrors(error: z.ZodError, prefix = ''): FieldError[] {
  return error.issues.flatMap((issue) => issueErrors(issue as Issue, prefix));
}
