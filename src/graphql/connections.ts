import { AppError } from '../errors.js';
import { encodeCursor } from '../modules/shared/pagination.js';

/** `first` when a connection is not given one, and the most it may ask (REST's `limit` too). */
export const DEFAULT_FIRST = 25;
export const MAX_FIRST = 100;

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
}

/**
 * A connection's `first` and `after` as a service's list query. A `first` out of 1..100 is a
 * BAD_USER_INPUT naming the argument, never silently capped: a client that asks for 500 and
 * gets 100 would think it has everything.
 */
export function pageArgs(args: ConnectionArgs): { limit: number; cursor?: string } {
  const first = args.first ?? DEFAULT_FIRST;
  if (first < 1 || first > MAX_FIRST) {
    throw new AppError('validation_failed', `\`first\` is from 1 to ${MAX_FIRST}; this asks for ${first}.`, {
      errors: [{ path: 'first', message: `must be from 1 to ${MAX_FIRST}` }],
    });
  }
  return { limit: first, ...(args.after ? { cursor: args.after } : {}) };
}

export interface Connection<T, C> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  /** What `totalCount` counts, for its resolver (or loader): counted only when asked. */
  counting: C;
}

/** The cursor of a record: the same opaque key REST's `nextCursor` is made of. */
export const cursorOf = (record: { id: string; createdAt: string }): string => encodeCursor({ id: record.id, createdAt: new Date(record.createdAt) });

/**
 * A Relay connection over one page. `hasPreviousPage` is whether the page was asked for after
 * a cursor (forward pagination: what came before is not counted).
 */
export function connectionOf<T, C>(records: T[], page: { hasNextPage: boolean; after?: string | null; cursors?: string[] }, counting: C): Connection<T, C> {
  // Records of an entity have the cursor of their list; others (revisions) bring their own.
  const cursors = page.cursors ?? records.map((r) => cursorOf(r as { id: string; createdAt: string }));
  return {
    edges: records.map((node, i) => ({ cursor: cursors[i]!, node })),
    nodes: records,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: Boolean(page.after),
      startCursor: cursors[0] ?? null,
      endCursor: cursors[cursors.length - 1] ?? null,
    },
    counting,
  };
}

/** A GraphQL filter as a REST list query: the fields given (null is not given). */
export const listQueryOf = (filter: Record<string, unknown> | null | undefined): Record<string, unknown> =>
  Object.fromEntries(Object.entries(filter ?? {}).filter(([, v]) => v !== null && v !== undefined));
