import t from 'tap';
import { sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { withTenant } from '../src/db/tenant-transaction.js';
import { createApiKey } from '../src/modules/api-keys/api-keys.service.js';
import { requestContext } from '../src/http/request-context.js';
import { redactUrl } from '../src/logging.js';
import { buildTestApp, tenantWithKey } from './helpers/app.js';

// What is logged: a failed statement's SQLSTATE and table, never its values; never a key,
// whether in a header, a query parameter, a path or a failed insert.

t.test('logs keep codes and tables, never values or keys', async (t) => {
  const { app, database, logs } = await buildTestApp(t);
  const owner = await tenantWithKey(database);
  const text = () => JSON.stringify(logs);

  // Probes through the real request path, behind a key.
  app.get('/v1/probe/bad-cast', { onRequest: app.authenticate }, async (request) => {
    const ctx = requestContext(request);
    return withTenant(database.db, ctx.tenantId, (tx) => tx.execute(sql`select ${'Maya Patel, stu-2042'}::int`));
  });
  app.get('/v1/probe/orphan-key', { onRequest: app.authenticate }, async () => createApiKey(database.db, { tenantId: randomUUID(), name: 'orphan' }));

  await t.test('a failed statement: its code, not its parameters', async (t) => {
    const res = await app.inject({ url: '/v1/probe/bad-cast', headers: owner.auth });
    t.equal(res.statusCode, 500);
    const line = logs.find((l) => l.requestId === res.headers['x-request-id'] && l.level === 50) as { err: Record<string, unknown> } | undefined;
    t.match(line?.err, { type: 'DatabaseError', code: '22P02' }, 'the SQLSTATE is logged');
    t.notMatch(text(), /Maya Patel|stu-2042/, 'the value is not');
  });

  await t.test('a failed key insert: neither its prefix nor its hash', async (t) => {
    const res = await app.inject({ url: '/v1/probe/orphan-key', headers: owner.auth });
    t.equal(res.statusCode, 500);
    const line = logs.find((l) => l.requestId === res.headers['x-request-id'] && l.level === 50) as { err: Record<string, unknown> } | undefined;
    t.match(line?.err, { code: '23503', table: 'api_keys', constraint: 'api_keys_tenant_fk' });
    t.notMatch(text(), /iik_[0-9a-f]{12}/, 'no key prefix anywhere');
    t.notMatch(text(), /[0-9a-f]{64}/, 'no hash anywhere');
  });

  await t.test('a key in the URL is redacted from the request log', async (t) => {
    const res = await app.inject({ url: `/v1/tenant?api_key=${owner.key}&token=abc&limit=5`, headers: owner.auth });
    const line = logs.find((l) => l.requestId === res.headers['x-request-id'] && (l.req as { url?: string } | undefined)?.url) as { req: { url: string } };
    t.equal(line.req.url, '/v1/tenant?api_key=[redacted]&token=[redacted]&limit=5');
    await app.inject({ url: `/v1/people/external/${owner.key}`, headers: owner.auth });
    t.notMatch(text(), owner.key.slice(4), 'the key appears nowhere, path included');
  });

  t.test('redactUrl', async (t) => {
    t.equal(redactUrl('/v1/people?q=ana'), '/v1/people?q=ana');
    t.equal(redactUrl('/x?apiKey=1&access_token=2&Secret=3&password=4&q=5'), '/x?apiKey=[redacted]&access_token=[redacted]&Secret=[redacted]&password=[redacted]&q=5');
    t.equal(redactUrl('/x?%61pi_key=1'), '/x?%61pi_key=[redacted]', 'an encoded name too');
    t.equal(redactUrl('/x/iik_0123456789ab_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ'), '/x/[redacted]');
  });
});
