import type { MercuriusContext } from 'mercurius';
import type { EntityService } from '../modules/shared/entity-definition.js';
import { connectionOf, pageArgs, type Connection, type ConnectionArgs } from './connections.js';

// The relations of the schema, batched per request (Mercurius loaders): whatever the number of
// parents in a response, each relation field at each depth is one read of its service.

type Filter = Record<string, unknown>;

/** What a connection's totalCount counts: a root list's filter, or the children of one parent. */
export type Counting = { filter: Filter } | { parent: string; parentId: string; filter?: Filter };

/** Which children a to-many relation lists: by which parent column, matching which filter. */
export interface ChildrenOf {
  parent: string;
  filter?: Filter;
}

type Loader<P, A = Record<string, never>> = (queries: { obj: P; params: A }[], context: MercuriusContext) => Promise<unknown[]>;

/** A to-one relation: the record `idOf(parent)` names (null when it names none), all in one read. */
export function recordLoader<P, Api extends { id: string }>(service: Pick<EntityService<Api>, 'getManyByIds'>, idOf: (parent: P) => string | null): Loader<P> {
  return async (queries, { requestContext }) => {
    const ids = queries.map((q) => idOf(q.obj));
    const wanted = ids.filter((id): id is string => id !== null);
    const found = new Map((wanted.length ? await service.getManyByIds(requestContext, wanted) : []).flatMap((r) => (r ? [[r.id, r]] : [])));
    return ids.map((id) => (id === null ? null : (found.get(id) ?? null)));
  };
}

/**
 * A list of records a parent holds the IDs of (an interview's referrals, a strategy's target
 * organizations): bounded by the record's own rules, so a plain list in the order held.
 */
export function recordsLoader<P, Api extends { id: string }>(service: Pick<EntityService<Api>, 'getManyByIds'>, idsOf: (parent: P) => readonly string[]): Loader<P> {
  return async (queries, { requestContext }) => {
    const wanted = [...new Set(queries.flatMap((q) => idsOf(q.obj)))];
    const found = new Map((wanted.length ? await service.getManyByIds(requestContext, wanted) : []).flatMap((r) => (r ? [[r.id, r]] : [])));
    return queries.map((q) => idsOf(q.obj).flatMap((id) => found.get(id) ?? []));
  };
}

/**
 * A to-many relation as a connection: the first N children of every parent in one statement
 * (the service's listByParents) per distinct page asked — the same relation, `first` and
 * `after` — so aliases with other arguments are a read each, and parents are never one each.
 */
export function childrenLoader<P extends { id: string }, Api extends { id: string; createdAt: string }, A extends ConnectionArgs>(
  service: EntityService<Api>,
  childrenOf: (args: A) => ChildrenOf,
): Loader<P, A> {
  return async (queries, { requestContext }) => {
    const keyOf = (args: A) => JSON.stringify([childrenOf(args), args.first ?? null, args.after ?? null]);
    const groups = new Map<string, { args: A; ids: string[] }>();
    for (const { obj, params } of queries) {
      const key = keyOf(params);
      const group = groups.get(key) ?? { args: params, ids: [] };
      group.ids.push(obj.id);
      groups.set(key, group);
    }
    const pages = new Map<string, Connection<Api, Counting>>();
    for (const [key, { args, ids }] of groups) {
      const { limit, cursor } = pageArgs(args);
      const { parent, filter } = childrenOf(args);
      const byParent = await service.listByParents(requestContext, parent, ids, limit, { after: cursor, filter });
      for (const [id, page] of byParent) {
        const counting = { parent, parentId: id, ...(filter ? { filter } : {}) };
        pages.set(`${key}|${id}`, connectionOf(page.records, { hasNextPage: page.hasNextPage, after: cursor, cursors: page.cursors }, counting));
      }
    }
    return queries.map(({ obj, params }) => pages.get(`${keyOf(params)}|${obj.id}`)!);
  };
}

/**
 * A connection type's totalCount: the children of many parents counted in one statement per
 * relation; a root list's filter counted on its own (one per list asked).
 */
export function totalCountLoader<Api>(service: EntityService<Api>): Loader<Connection<unknown, Counting>> {
  return async (queries, { requestContext }) => {
    const groups = new Map<string, { of: ChildrenOf; ids: string[] }>();
    for (const { obj } of queries) {
      if (!('parent' in obj.counting)) continue;
      const of = { parent: obj.counting.parent, filter: obj.counting.filter };
      const key = JSON.stringify(of);
      const group = groups.get(key) ?? { of, ids: [] };
      group.ids.push(obj.counting.parentId);
      groups.set(key, group);
    }
    const counts = new Map<string, Map<string, number>>();
    for (const [key, { of, ids }] of groups) counts.set(key, await service.countByParents(requestContext, of.parent, ids, { filter: of.filter }));
    return Promise.all(
      queries.map(({ obj: { counting } }) =>
        'parent' in counting ? counts.get(JSON.stringify({ parent: counting.parent, filter: counting.filter }))!.get(counting.parentId)! : service.count(requestContext, counting.filter),
      ),
    );
  };
}
