import t from 'tap';
import { ApiKey } from '../src/modules/api-keys/api-keys.schemas.js';
import { buildTestApp, tenantWithKey } from './helpers/app.js';
import { graphqlCaller, holdsTo } from './helpers/graphql.js';

t.test('API key management over REST', async (t) => {
  const { app, database } = await buildTestApp(t);
  const owner = await tenantWithKey(database);
  const other = await tenantWithKey(database, 'Other Center');
  const as = (key: string) => ({ authorization: `Bearer ${key}` });

  const created = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: owner.auth, payload: { name: 'nightly sync', scopes: ['write', 'read'] } });
  t.equal(created.statusCode, 201);
  const key = created.json();
  t.match(key, { name: 'nightly sync', scopes: ['read', 'write'], prefix: /^iik_[0-9a-f]{12}$/, secret: /^iik_/, expiresAt: null });
  t.ok(key.secret.startsWith(key.prefix));
  t.equal(created.headers['cache-control'], 'no-store');
  t.equal((await app.inject({ url: '/v1/tenant', headers: as(key.secret) })).statusCode, 200, 'the new key works');

  t.test('listing never shows a secret', async (t) => {
    const res = await app.inject({ url: '/v1/api-keys', headers: owner.auth });
    t.equal(res.statusCode, 200);
    const ids = res.json().data.map((k: { id: string }) => k.id);
    t.ok(ids.includes(key.id));
    t.notOk(res.body.includes(key.secret.slice(17)), 'no secret material');
    t.notOk(res.body.includes('secretHash') || res.body.includes('secret'), 'no secret field');
    const otherList = await app.inject({ url: '/v1/api-keys', headers: other.auth });
    t.notOk(otherList.json().data.some((k: { id: string }) => k.id === key.id), 'tenants see only their keys');
  });

  t.test('GraphQL lists the same keys, never a secret, to an admin key only', async (t) => {
    holdsTo(t, app.graphqlSchema, 'ApiKey', ApiKey.shape);
    const gql = graphqlCaller(app, owner.auth);
    const query = '{ apiKeys { id name scopes prefix createdAt expiresAt lastUsedAt revokedAt } }';
    const answer = await gql(query);
    const listed = (await app.inject({ url: '/v1/api-keys', headers: owner.auth })).json().data as { scopes: string[] }[];
    t.same(
      answer.data?.apiKeys,
      listed.map((k) => ({ ...k, scopes: k.scopes.map((s) => s.toUpperCase()) })),
      'the keys REST lists, scopes as enum values',
    );
    t.notOk(JSON.stringify(answer).includes(key.secret.slice(17)), 'no secret material');
    t.equal((await gql('{ apiKeys { secret } }')).errors?.[0]?.extensions.code, 'GRAPHQL_VALIDATION_FAILED', 'there is no secret field');
    t.equal((await gql(query, {}, as(await owner.mintKey(['read', 'write'])))).errors?.[0]?.extensions.code, 'FORBIDDEN');
    const theirs = (await gql('{ apiKeys { id } }', {}, other.auth)).data?.apiKeys as { id: string }[];
    t.notOk(theirs.some((k) => k.id === key.id), 'tenants see only their keys');
  });

  t.test('admin scope is required', async (t) => {
    const writer = await owner.mintKey(['read', 'write']);
    for (const req of [
      { method: 'GET' as const, url: '/v1/api-keys' },
      { method: 'POST' as const, url: '/v1/api-keys', payload: { name: 'x', scopes: ['read'] } },
      { method: 'DELETE' as const, url: `/v1/api-keys/${key.id}` },
    ]) {
      const res = await app.inject({ ...req, headers: as(writer) });
      t.equal(res.statusCode, 403, `${req.method} ${req.url}`);
    }
  });

  t.test('bad input', async (t) => {
    const bad = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: owner.auth, payload: { name: '', scopes: ['root'], expiresAt: '2001-01-01T00:00:00Z', secret: 'mine' } });
    t.equal(bad.statusCode, 400);
    const paths = bad.json().errors.map((e: { path: string }) => e.path).join(' ');
    t.match(paths, /name/);
    t.match(paths, /scopes/);
    t.match(paths, /secret/);
    const past = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: owner.auth, payload: { name: 'x', scopes: ['read'], expiresAt: '2001-01-01T00:00:00Z' } });
    t.match(past.json().errors, [{ path: 'expiresAt', message: 'must be in the future' }]);
    const none = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: owner.auth, payload: { name: 'x', scopes: [] } });
    t.equal(none.statusCode, 400);
  });

  t.test('revoke: 204, final, idempotent; another tenant’s key is a 404', async (t) => {
    t.equal((await app.inject({ method: 'DELETE', url: `/v1/api-keys/${key.id}`, headers: other.auth })).statusCode, 404);
    t.equal((await app.inject({ url: '/v1/tenant', headers: as(key.secret) })).statusCode, 200, 'still valid after the foreign attempt');
    t.equal((await app.inject({ method: 'DELETE', url: `/v1/api-keys/${key.id}`, headers: owner.auth })).statusCode, 204);
    t.equal((await app.inject({ url: '/v1/tenant', headers: as(key.secret) })).statusCode, 401);
    t.equal((await app.inject({ method: 'DELETE', url: `/v1/api-keys/${key.id}`, headers: owner.auth })).statusCode, 204);
    const listed = (await app.inject({ url: '/v1/api-keys', headers: owner.auth })).json().data.find((k: { id: string }) => k.id === key.id);
    t.match(listed, { revokedAt: String });
    t.equal((await app.inject({ method: 'DELETE', url: '/v1/api-keys/not-a-uuid', headers: owner.auth })).statusCode, 400);
  });

  t.test('a key with an expiry', async (t) => {
    const soon = new Date(Date.now() + 3_600_000).toISOString();
    const res = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: owner.auth, payload: { name: 'temp', scopes: ['read'], expiresAt: soon } });
    t.equal(res.json().expiresAt, new Date(soon).toISOString());
  });
});
