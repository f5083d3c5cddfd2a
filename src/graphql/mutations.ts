import { canRead, type RequestContext } from '../context.js';
import { AppError } from '../errors.js';

/**
 * A service call made for a mutation: field errors are named where the caller wrote them
 * (`input.name`, not the REST body's `name`); everything else passes as it is.
 */
export async function asMutation<T>(work: () => Promise<T>, argument = 'input'): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'validation_failed' || !err.errors) throw err;
    const errors = err.errors.map((e) => ({ ...e, path: e.path ? `${argument}.${e.path}` : argument }));
    throw new AppError('validation_failed', err.message, { errors, extra: err.extra, headers: err.headers, cause: err });
  }
}

/** The record a payload carries: null for a key without `read` (it may write, not see). */
export const visible = <T>(ctx: RequestContext, record: T): T | null => (canRead(ctx) ? record : null);

/** GraphQL input (enum names already mapped) without the fields the caller left out. */
export const given = (input: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
