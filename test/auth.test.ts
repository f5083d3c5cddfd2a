import t from 'tap';
import { revokeKeyById } from '../src/modules/api-keys/api-keys.service.js';
import { buildTestApp, tenantWithKey } from './helpers/app.js';
import { apiKeys } from '../src/db/schema/index.js';
import { eq } from 'drizzle-orm';

const VIEWER = { query: '{ viewer { tenant { id } apiKey { scopes } } }' };

t.test('authentication and scopes, REST and GraphQL', async (t) => {
  const { app, database } = await buildTestApp(t);
  const owner = await tenantWithKey(database);

  const rest = (authorization?: string) =>
    app.inject({ method: 'GET', url: '/v1/tenant', headers: authorization === undefined ? {} : { authorization } });
  const graphql = (authorization?: string) =>
    app.inject({ method: 'POST', url: '/graphql', headers: authorization === undefined ? {} : { authorization }, payload: VIEWER });

  t.test('a valid key with read scope is served on both surfaces', async (t) => {
    const res = await rest(`Bearer ${owner.key}`);
    t.equal(res.statusCode, 200);
    t.equal(res.json().id, owner.tenant.id);
    const gql = await graphql(`Bearer ${owner.key}`);
    t.equal(gql.statusCode, 200);
    t.same(gql.json().data.viewer, { tenant: { id: owner.tenant.id }, apiKey: { scopes: ['READ', 'WRITE', 'IMPORT', 'ADMIN'] } });
  });

  const revoked = await owner.mintKey(['read']);
  const revokedId = (await database.db.select().from(apiKeys).where(eq(apiKeys.prefix, revoked.slice(0, 16))))[0]!.id;
  await revokeKeyById(database.db, revokedId);
  const expired = await owner.mintKey(['read'], new Date(Date.now() - 1000));
  const wrongSecret = `${owner.key.slice(0, 17)}${'A'.repeat(43)}`;

  const unauthorized: [string, string | undefined][] = [
    ['no Authorization header', undefined],
    ['an empty header', ''],
    ['another scheme', `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['Bearer without a key', 'Bearer '],
    ['a key of the wrong shape', 'Bearer not-a-key'],
    ['an unknown key', `Bearer iik_000000000000_${'a'.repeat(43)}`],
    ['a known prefix with a wrong secret', `Bearer ${wrongSecret}`],
    ['a revoked key', `Bearer ${revoked}`],
    ['an expired key', `Bearer ${expired}`],
    ['two keys in one header', `Bearer ${owner.key} ${owner.key}`],
  ];
  for (const [name, header] of unauthorized) {
    t.test(`401 for ${name}`, async (t) => {
      const res = await rest(header);
      t.equal(res.statusCode, 401);
      t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
      t.match(res.json(), { status: 401, code: 'unauthorized', type: 'urn:problem:unauthorized' });
      t.match(res.headers['www-authenticate'], /^Bearer/);
      const gql = await graphql(header);
      t.equal(gql.statusCode, 401);
      t.same(gql.json().data, null);
      t.equal(gql.json().errors[0].extensions.code, 'UNAUTHENTICATED');
    });
  }

  t.test('403 for a valid key without the read scope', async (t) => {
    const writeOnly = await owner.mintKey(['write']);
    const res = await rest(`Bearer ${writeOnly}`);
    t.equal(res.statusCode, 403);
    t.match(res.json(), { code: 'forbidden', requiredScope: 'read' });
    const gql = await graphql(`Bearer ${writeOnly}`);
    t.equal(gql.statusCode, 200);
    t.equal(gql.json().errors[0].extensions.code, 'FORBIDDEN');
  });

  t.test('the scheme is case-insensitive and lastUsedAt is recorded', async (t) => {
    const key = await owner.mintKey(['read']);
    const before = (await database.db.select().from(apiKeys).where(eq(apiKeys.prefix, key.slice(0, 16))))[0]!;
    t.equal(before.lastUsedAt, null);
    t.equal((await rest(`bearer ${key}`)).statusCode, 200);
    const after = (await database.db.select().from(apiKeys).where(eq(apiKeys.prefix, key.slice(0, 16))))[0]!;
    t.ok(after.lastUsedAt instanceof Date);
  });

  t.test('public endpoints need no key', async (t) => {
    for (const url of ['/healthz', '/readyz', '/openapi.json', '/openapi.yaml', '/schema.graphql']) {
      t.equal((await app.inject({ url })).statusCode, 200, url);
    }
  });
});
