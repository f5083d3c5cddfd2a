import { Writable } from 'node:stream';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import type { Scope } from '../../src/context.js';
import { createApiKey } from '../../src/modules/api-keys/api-keys.service.js';
import { createTenant } from '../../src/modules/tenants/tenants.service.js';
import { freshDatabase } from './database.js';

interface TestLike {
  teardown(fn: () => unknown): void;
}

export interface TestApp {
  app: App;
  database: Database;
  /** Every log line the app wrote, parsed. */
  logs: Record<string, unknown>[];
}

/** The app on a fresh database, with logs captured; closed at teardown. */
export async function buildTestApp(t: TestLike, env: NodeJS.ProcessEnv = {}, database?: Database): Promise<TestApp> {
  const db = database ?? (await freshDatabase(t)).database;
  const logs: Record<string, unknown>[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  // No webhook worker unless the test asks for one (WEBHOOK_WORKER: 'true'): it polls the database
  // on its own timer, and its statements would land among those a test counts or waits for.
  const config = loadConfig({ LOG_LEVEL: 'info', WEBHOOK_WORKER: 'false', ...env });
  const app = await buildApp(config, { database: db, logStream });
  t.teardown(() => app.close());
  return { app, database: db, logs };
}

/** A tenant with a key of every scope, plus a helper to mint keys with fewer. */
export async function tenantWithKey(database: Database, name = 'Test Center', options: { questionBank?: boolean } = {}) {
  const { tenant, apiKey } = await createTenant(database.db, { name, ...options });
  return {
    tenant,
    key: apiKey.secret,
    keyId: apiKey.id,
    auth: { authorization: `Bearer ${apiKey.secret}` },
    mintKey: async (scopes: Scope[], expiresAt?: Date) =>
      (await createApiKey(database.db, { tenantId: tenant.id, scopes, expiresAt })).secret,
  };
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** REST calls as one caller: `call('POST', '/v1/people', body, { 'if-match': '"2"' })`. */
export const restCaller =
  (app: App, auth: Record<string, string>) =>
  (method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method, url, headers: { ...auth, ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });

/** The ids of a list answer, in order. */
export const idsOf = (res: { json(): unknown }): string[] => (res.json() as { data: { id: string }[] }).data.map((r) => r.id);
