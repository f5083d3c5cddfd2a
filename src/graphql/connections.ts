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

interface PageOf {
  hasNextPage: boolean;
  after?: string | null;
  /** Absent: each record's own (cursorOf). */
  cursors?: string[];
}

/** One edge; its cursor is made when read. */
class Edge<T> {
  constructor(
    readonly node: T,
    private readonly page: Page<T, unknown>,
    private readonly index: number,
  ) {}
  get cursor(): string {
    return this.page.cursorAt(this.index);
  }
}

/** A page's info; its cursors are made when read. */
class PageInfo<T> {
  constructor(
    private readonly of: Page<T, unknown>,
    private readonly page: PageOf,
  ) {}
  get hasNextPage(): boolean {
    return this.page.hasNextPage;
  }
  get hasPreviousPage(): boolean {
    return Boolean(this.page.after);
  }
  get startCursor(): string | null {
    return this.of.nodes.length ? this.of.cursorAt(0) : null;
  }
  get endCursor(): string | null {
    return this.of.nodes.length ? this.of.cursorAt(this.of.nodes.length - 1) : null;
  }
}

/**
 * A connection's page. Edges, cursors and what totalCount counts are made when read: a nested
 * answer holds a connection per parent, and most selections take `nodes` alone. A record read
 * without its createdAt (a JSON tree not asked for cursors) is never asked for one.
 */
class Page<T, C> implements Connection<T, C> {
  private edgeList: Edge<T>[] | undefined;
  private countingValue: C | undefined;
  constructor(
    readonly nodes: T[],
    private readonly page: PageOf,
    private readonly countingOf: () => C,
  ) {}
  cursorAt(i: number): string {
    // Records of an entity have the cursor of their list; others (revisions) bring their own.
    return this.page.cursors?.[i] ?? cursorOf(this.nodes[i] as { id: string; createdAt: string });
  }
  get edges(): Edge<T>[] {
    return (this.edgeList ??= this.nodes.map((node, i) => new Edge(node, this as Page<T, unknown>, i)));
  }
  get pageInfo(): Connection<T, C>['pageInfo'] {
    return new PageInfo(this as Page<T, unknown>, this.page);
  }
  get counting(): C {
    return (this.countingValue ??= this.countingOf());
  }
}

/**
 * A Relay connection over one page. `hasPreviousPage` is whether the page was asked for after
 * a cursor (forward pagination: what came before is not counted). `counting` may be given as a
 * function, called only when totalCount is asked.
 */
export function connectionOf<T, C>(records: T[], page: PageOf, counting: C | (() => C)): Connection<T, C> {
  return new Page(records, page, typeof counting === 'function' ? (counting as () => C) : () => counting);
}

/**
 * A GraphQL filter as a REST list query: the fields given (null is not given), a Boolean as the
 * "true" or "false" of a query string.
 */
export const listQueryOf = (filter: Record<string, unknown> | null | undefined): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(filter ?? {})
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => [k, typeof v === 'boolean' ? String(v) : v]),
  );
