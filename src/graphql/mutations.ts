import type { MercuriusContext } from 'mercurius';
import { canRead, type RequestContext } from '../context.js';
import type { EntityService } from '../modules/shared/entity-definition.js';
import { AppError } from '../errors.js';

/** A service call whose field errors are renamed to where the GraphQL caller wrote them. */
export async function renamingPaths<T>(work: () => Promise<T>, rename: (path: string) => string): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'validation_failed' || !err.errors) throw err;
    const errors = err.errors.map((e) => ({ ...e, path: rename(e.path) }));
    throw new AppError('validation_failed', err.message, { errors, extra: err.extra, headers: err.headers, cause: err });
  }
}

/**
 * A service call made for a mutation: field errors are named where the caller wrote them
 * (`input.name`, not the REST body's `name`); everything else passes as it is.
 */
export const asMutation = <T>(work: () => Promise<T>, argument = 'input'): Promise<T> =>
  renamingPaths(work, (path) => (path ? `${argument}.${path}` : argument));

/**
 * A list read for a connection: a REST query's field errors named as the arguments of the
 * connection (`query.cursor` is `after`, `query.limit` is `first`, `query.status` is `filter.status`).
 */
export const asConnection = <T>(work: () => Promise<T>): Promise<T> =>
  renamingPaths(work, (path) =>
    path === 'query.cursor' ? 'after' : path === 'query.limit' ? 'first' : path.startsWith('query.') ? `filter.${path.slice('query.'.length)}` : path,
  );

/** The record a payload carries: null for a key without `read` (it may write, not see). */
export const visible = <T>(ctx: RequestContext, record: T): T | null => (canRead(ctx) ? record : null);

/** GraphQL input (enum names already mapped) without the fields the caller left out. */
export const given = (input: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));

type Intent = { id: string; expectedVersion?: number | null } & Record<string, unknown>;

/**
 * An intention-named mutation (`scheduleInterview`, `activateCareerStrategy`): a change of one
 * record through the service's same update, rules and optimistic concurrency as `updateX` and
 * REST's PATCH; its arguments are named as the fields they set.
 */
export const intentMutation =
  <Api>(service: Pick<EntityService<Api>, 'update'>, payload: string, patchOf: (args: Intent) => Record<string, unknown>) =>
  async (_root: unknown, args: Intent, { requestContext: ctx }: MercuriusContext) => ({
    [payload]: visible(ctx, await service.update(ctx, args.id, patchOf(args), args.expectedVersion ?? undefined)),
  });
