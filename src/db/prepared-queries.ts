import type { Executor } from './client.js';

interface Runnable {
  execute(values?: Record<string, unknown>): Promise<unknown>;
}

// Per executor: a pooled connection's executor lives as long as the connection, the embedded
// engine's for the process; a transaction's is new each time, and builds afresh.
const built = new WeakMap<Executor, Map<symbol, Runnable>>();

/**
 * A query built once per executor and run with new values (Drizzle placeholders): building
 * SQL from the query builder is most of a small read's CPU in Node. Prepared with an empty
 * name, so node-postgres sends it unnamed; whether the server keeps its plan is the
 * connection's business (one-trip-read.ts), not this cache's.
 */
export function builtOnce<Q extends Runnable>(db: Executor, key: symbol, build: () => Q): Q {
  let queries = built.get(db);
  if (!queries) built.set(db, (queries = new Map()));
  let query = queries.get(key) as Q | undefined;
  if (!query) queries.set(key, (query = build()));
  return query;
}
