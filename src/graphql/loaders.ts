import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { IResolvers, MercuriusContext } from 'mercurius';
import type { ChildRecords, EntityService } from '../modules/shared/entity-definition.js';
import { AppError } from '../errors.js';
import { connectionOf, pageArgs, type Connection, type ConnectionArgs } from './connections.js';
import { treeKey } from '../modules/shared/json-tree.js';
import { asConnection } from './mutations.js';
import { treeOfConnection, type RelationOf, type SqlRelation } from './sql-relations.js';

// The relations of the schema, batched per request: whatever the number of parents in a
// response, each relation field at each depth is one read of its service.

type Filter = Record<string, unknown>;

/** What a connection's totalCount counts: a root list's filter, or the children of one parent. */
export type Counting = { filter: Filter } | { parent: string; parentId: string; filter?: Filter };

/** Which children a to-many relation lists: by which parent column, matching which filter. */
export interface ChildrenOf {
  parent: string;
  filter?: Filter;
}

/** What a loader may use besides its calls: the relations of the schema, to read a whole selection as one JSON tree. */
interface LoaderTools {
  relationOf: RelationOf;
}

type Loader<P, A = Record<string, never>> = ((queries: { obj: P; params: A; info: GraphQLResolveInfo }[], context: MercuriusContext, tools: LoaderTools) => Promise<unknown[]>) & {
  /** How the relation reads in SQL, inside a JSON tree (sql-relations.ts); absent: only through this loader. */
  sql?: SqlRelation;
  /** The relation's answer from the JSON its parent was read with (under `@<key>`). */
  fromTree?(raw: unknown, parent: P, args: A): unknown;
};

/** A module's relation fields: type → field → the loader that answers all of a request's calls at once. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each field's loader has its own parent and arguments
export type Loaders = Record<string, Record<string, Loader<any, any>>>;

/** The calls of one relation field waiting for the next tick, in one request. */
class Batch {
  private queue: { obj: unknown; params: unknown; info: GraphQLResolveInfo; resolve(value: unknown): void; reject(err: unknown): void }[] = [];
  constructor(
    private readonly load: Loader<unknown, unknown>,
    private readonly context: MercuriusContext,
    private readonly tools: LoaderTools,
  ) {}

  add(obj: unknown, params: unknown, info: GraphQLResolveInfo): Promise<unknown> {
    return new Promise((resolve, reject) => {
      // The first call of a tick schedules the read; its siblings join it meanwhile.
      if (this.queue.push({ obj, params, info, resolve, reject }) === 1) process.nextTick(() => void this.run());
    });
  }

  private async run() {
    const calls = this.queue;
    this.queue = [];
    try {
      const results = await this.load(calls, this.context, this.tools);
      // An Error in the results is that call's alone (e.g. one alias's bad `first`).
      calls.forEach((call, i) => (results[i] instanceof Error ? call.reject(results[i]) : call.resolve(results[i])));
    } catch (err) {
      for (const call of calls) call.reject(err);
    }
  }
}

/**
 * Loaders as field resolvers. Like Mercurius' `loaders`, but without its cache key: it
 * stringifies each parent record whole for every call, a tenth of the CPU of a large nested
 * answer; a loader here takes every call of a tick and answers in the same order.
 */
export function batchedResolvers(modules: Loaders[], options: { sqlTrees: boolean }): IResolvers {
  const loaders: Loaders = {};
  for (const module of modules) for (const [type, fields] of Object.entries(module)) loaders[type] = { ...loaders[type], ...fields };
  const tools: LoaderTools = {
    relationOf: (type, field) => {
      const load = options.sqlTrees ? loaders[type]?.[field] : undefined;
      return load ? (load.sql ?? 'loader') : undefined;
    },
  };
  const batches = new WeakMap<object, Map<string, Batch>>();
  const batchOf = (context: MercuriusContext, name: string, load: Loader<unknown, unknown>) => {
    const perRequest = batches.get(context) ?? new Map<string, Batch>();
    batches.set(context, perRequest);
    let batch = perRequest.get(name);
    if (!batch) perRequest.set(name, (batch = new Batch(load, context, tools)));
    return batch;
  };
  const resolverOf = (name: string, load: Loader<unknown, unknown>) => (obj: unknown, params: unknown, context: MercuriusContext, info: GraphQLResolveInfo) => {
    // Read with its parent, in the parent's JSON tree: nothing left to load.
    if (load.fromTree) {
      const node = info.fieldNodes[0]!;
      const raw = (obj as Record<string, unknown>)[treeKey((node.alias ?? node.name).value)];
      if (raw !== undefined) return load.fromTree(raw, obj, params);
    }
    return batchOf(context, name, load).add(obj, params, info);
  };
  return Object.fromEntries(
    Object.entries(loaders).map(([type, fields]) => [type, Object.fromEntries(Object.entries(fields).map(([field, load]) => [field, resolverOf(`${type}.${field}`, load)]))]),
  ) as IResolvers;
}

/** The records of these ids, by id: one read of the service, none when there are none. */
async function readByIds<Api extends { id: string }>(service: Pick<EntityService<Api>, 'getManyByIds'>, context: MercuriusContext, ids: string[]): Promise<Map<string, Api>> {
  if (ids.length === 0) return new Map();
  return new Map((await service.getManyByIds(context.requestContext, ids)).flatMap((r) => (r ? [[r.id, r] as const] : [])));
}

/** A to-one relation: the record `idOf(parent)` names (null when it names none), all in one read. */
export function recordLoader<P, Api extends { id: string } = { id: string }>(service: Pick<EntityService<Api>, 'getManyByIds' | 'treeSource'>, idField: keyof P & string): Loader<P> {
  const load: Loader<P> = async (queries, context) => {
    // An id left out of a JSON item (a question without templateId) is no reference, as null is.
    const ids = queries.map((q) => (q.obj[idField] ?? null) as string | null);
    const found = await readByIds(service, context, ids.filter((id): id is string => id !== null));
    return ids.map((id) => (id === null ? null : (found.get(id) ?? null)));
  };
  return Object.assign(load, { sql: { kind: 'one', source: service.treeSource, idField } as const, fromTree: (raw: unknown) => raw });
}

/**
 * A list of records a parent holds the IDs of (an interview's referrals, a strategy's target
 * organizations): bounded by the record's own rules, so a plain list in the order held.
 */
export function recordsLoader<P, Api extends { id: string }>(service: Pick<EntityService<Api>, 'getManyByIds'>, idsOf: (parent: P) => readonly string[]): Loader<P> {
  return async (queries, context) => {
    const found = await readByIds(service, context, [...new Set(queries.flatMap((q) => idsOf(q.obj)))]);
    return queries.map((q) => idsOf(q.obj).flatMap((id) => found.get(id) ?? []));
  };
}

/** One group of a connection loader: the parents asking the same page, and how they asked. */
interface PageGroup<A> {
  args: A;
  ids: string[];
  infos: GraphQLResolveInfo[];
}

/**
 * A to-many relation as a connection: the parents asking the same page (the same `keyOf` their
 * arguments) are read together by `read`, in one statement; a bad argument fails only the
 * fields that gave it, not their siblings with other arguments.
 */
export function pagesLoader<P extends { id: string }, T, A extends ConnectionArgs, C>(
  read: (group: PageGroup<A>, page: { limit: number; cursor?: string }, context: MercuriusContext, tools: LoaderTools) => Promise<Map<string, ChildRecords<T>>>,
  countingOf: (args: A, parentId: string) => C,
  keyOf: (args: A) => string = (args) => JSON.stringify([args.first ?? null, args.after ?? null]),
): Loader<P, A> {
  return async (queries, context, tools) => {
    const keys = queries.map((q) => keyOf(q.params));
    const groups = new Map<string, PageGroup<A>>();
    queries.forEach(({ obj, params, info }, i) => {
      const group = groups.get(keys[i]!) ?? { args: params, ids: [], infos: [] };
      group.ids.push(obj.id);
      group.infos.push(info);
      groups.set(keys[i]!, group);
    });
    const pages = new Map<string, Map<string, Connection<T, C>> | AppError>();
    for (const [key, group] of groups) {
      try {
        const page = pageArgs(group.args);
        const byParent = await asConnection(() => read(group, page, context, tools));
        pages.set(
          key,
          new Map(
            [...byParent].map(([id, children]) => [
              id,
              connectionOf(children.records, { hasNextPage: children.hasNextPage, after: page.cursor, cursors: children.cursors }, countingOf(group.args, id)),
            ]),
          ),
        );
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        pages.set(key, err);
      }
    }
    return queries.map(({ obj }, i) => {
      const found = pages.get(keys[i]!)!;
      return found instanceof AppError ? found : found.get(obj.id)!;
    });
  };
}

/**
 * A to-many relation of an entity: the first N children of every parent in one statement (the
 * service's listByParents), reading only the fields some caller selected.
 */
export function childrenLoader<P extends { id: string }, Api extends { id: string; createdAt: string }, A extends ConnectionArgs>(
  service: EntityService<Api>,
  childrenOf: (args: A) => ChildrenOf,
  /** Relation fields whose ids a record holds under another name than `<field>Id`. */
  idsOf: Record<string, string> = {},
): Loader<P, A> {
  const countingOf = (args: A, parentId: string): Counting => {
    const { parent, filter } = childrenOf(args);
    return { parent, parentId, ...(filter ? { filter } : {}) };
  };
  const load = pagesLoader<P, Api, A, Counting>(
    ({ args, ids, infos }, { limit, cursor }, { requestContext }, { relationOf }) => {
      const { parent, filter } = childrenOf(args);
      // The whole selection below in one statement when it can be; else this level's fields, and the loaders below.
      const tree = service.treeSource && treeOfConnection(relationOf, infos, service.treeSource, requestContext.tenantId);
      return service.listByParents(requestContext, parent, ids, limit, { after: cursor, filter, ...(tree ? { tree } : { fields: recordFieldsOf(infos, idsOf) }) });
    },
    countingOf,
    (args) => JSON.stringify([childrenOf(args), args.first ?? null, args.after ?? null]),
  );
  return Object.assign(load, {
    sql: { kind: 'many', source: service.treeSource, childrenOf } as SqlRelation,
    // The first + 1 children the tree holds: the page, and whether another follows.
    fromTree: (raw: unknown, parent: P, args: A) => {
      const { limit, cursor } = pageArgs(args);
      const children = raw as Api[];
      return connectionOf(children.slice(0, limit), { hasNextPage: children.length > limit, after: cursor }, () => countingOf(args, parent.id));
    },
  });
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
    // A root list's count that fails is that field's error alone (an Error result), not its siblings'.
    return Promise.all(
      queries.map(({ obj: { counting } }) =>
        'parent' in counting
          ? counts.get(JSON.stringify({ parent: counting.parent, filter: counting.filter }))!.get(counting.parentId)!
          : asConnection(() => service.count(requestContext, counting.filter)).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err)))),
      ),
    );
  };
}

/**
 * The record fields a connection's callers select under `nodes` and `edges { node }` (through
 * fragments): each field by its name, and a relation by the id its record holds — `<field>Id`
 * (`organization` needs `organizationId`), or as `idsOf` names it.
 */
function recordFieldsOf(infos: GraphQLResolveInfo[], idsOf: Record<string, string>): ReadonlySet<string> {
  const fields = new Set<string>();
  for (const info of infos) {
    const walk = (set: SelectionSetNode | undefined, at: (field: FieldNode) => void) => {
      for (const selection of set?.selections ?? []) {
        if (selection.kind === Kind.FIELD) at(selection);
        else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet, at);
        else walk(info.fragments[selection.name.value]?.selectionSet, at);
      }
    };
    const atNode = (field: FieldNode) => {
      const name = field.name.value;
      fields.add(name);
      fields.add(`${name}Id`);
      if (idsOf[name]) fields.add(idsOf[name]);
    };
    for (const node of info.fieldNodes) {
      walk(node.selectionSet, (field) => {
        if (field.name.value === 'nodes') walk(field.selectionSet, atNode);
        else if (field.name.value === 'edges') walk(field.selectionSet, (edge) => edge.name.value === 'node' && walk(edge.selectionSet, atNode));
      });
    }
  }
  return fields;
}
