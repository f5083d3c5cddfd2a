import tap from 'tap';
import { randomBytes } from 'node:crypto';
import { buildTestApp, tenantWithKey } from './helpers/app.js';

// Budgets: RATE_LIMIT_PER_MINUTE per API key, AUTH_FAILURES_PER_MINUTE per client address, in
// memory or, with REDIS_URL, in Redis shared by every instance.

const TEST_REDIS_URL = process.env.TEST_REDIS_URL || undefined;
const forged = () => `Bearer iik_${randomBytes(6).toString('hex')}_${randomBytes(32).toString('base64url')}`;

tap.test('per API key: RateLimit headers, then 429 on REST and RATE_LIMITED on GraphQL', async (t) => {
  const { app, database } = await buildTestApp(t, { RATE_LIMIT_PER_MINUTE: '5' });
  const owner = await tenantWithKey(database);
  const other = `Bearer ${await owner.mintKey(['read'])}`;
  const get = (authorization: string) => app.inject({ url: '/v1/tenant', headers: { authorization } });

  for (let i = 1; i <= 5; i++) {
    const res = await get(owner.auth.authorization);
    t.equal(res.statusCode, 200, `request ${i}`);
    t.equal(res.headers['ratelimit-limit'], '5');
    t.equal(res.headers['ratelimit-remaining'], String(5 - i));
    t.ok(Number(res.headers['ratelimit-reset']) > 0);
  }
  const over = await get(owner.auth.authorization);
  t.equal(over.statusCode, 429);
  t.equal(over.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.match(over.json(), { code: 'rate_limited', status: 429, type: 'urn:problem:rate_limited' });
  t.ok(Number(over.headers['retry-after']) >= 1 && Number(over.headers['retry-after']) <= 60, `Retry-After ${over.headers['retry-after']}`);
  t.equal(over.headers['ratelimit-remaining'], '0');
  t.equal(over.headers['ratelimit-limit'], '5');

  const gql = await app.inject({ method: 'POST', url: '/graphql', headers: owner.auth, payload: { query: '{ viewer { tenant { id } } }' } });
  t.equal(gql.statusCode, 429);
  t.equal(gql.json().errors[0].extensions.code, 'RATE_LIMITED');
  t.ok(gql.headers['retry-after']);

  t.equal((await get(other)).statusCode, 200, 'another key of the same tenant has its own budget');
  t.equal((await app.inject({ url: '/healthz' })).statusCode, 200, 'public routes spend nothing');
});

tap.test('0 turns the per-key limit off', async (t) => {
  const { app, database } = await buildTestApp(t, { RATE_LIMIT_PER_MINUTE: '0' });
  const owner = await tenantWithKey(database);
  for (let i = 0; i < 30; i++) {
    const res = await app.inject({ url: '/v1/tenant', headers: owner.auth });
    t.equal(res.statusCode, 200);
    t.equal(res.headers['ratelimit-limit'], undefined);
  }
});

tap.test('failed authentication per address: refused before the key lookup', async (t) => {
  const { app, database } = await buildTestApp(t, { AUTH_FAILURES_PER_MINUTE: '10' });
  const owner = await tenantWithKey(database);
  const from = (remoteAddress: string, authorization: string) => app.inject({ url: '/v1/tenant', remoteAddress, headers: { authorization } });

  const statuses: number[] = [];
  for (let i = 0; i < 500; i++) statuses.push((await from('203.0.113.7', forged())).statusCode);
  t.same(statuses.slice(0, 10), Array(10).fill(401), 'ten guesses are told 401');
  t.same([...new Set(statuses.slice(10))], [429], 'the other 490 are refused unlooked-up');
  const blocked = await from('203.0.113.7', owner.auth.authorization);
  t.equal(blocked.statusCode, 429, 'even a valid key from that address waits: nothing is looked up');
  t.match(blocked.json(), { code: 'rate_limited' });
  t.ok(Number(blocked.headers['retry-after']) >= 1);
  t.equal(blocked.headers['ratelimit-limit'], '10');

  t.equal((await from('198.51.100.20', owner.auth.authorization)).statusCode, 200, 'another address is served');
  const gql = await app.inject({ method: 'POST', url: '/graphql', remoteAddress: '203.0.113.7', headers: { authorization: forged() }, payload: { query: '{ __typename }' } });
  t.equal(gql.statusCode, 429);
  t.equal(gql.json().errors[0].extensions.code, 'RATE_LIMITED');

  // A success does not count: a busy client with a good key is never blocked by this limit.
  for (let i = 0; i < 20; i++) t.equal((await from('198.51.100.21', owner.auth.authorization)).statusCode, 200);
});

tap.test('in Redis, instances share one budget', { skip: !TEST_REDIS_URL && 'set TEST_REDIS_URL (CI does)' }, async (t) => {
  const env = { REDIS_URL: TEST_REDIS_URL!, RATE_LIMIT_PER_MINUTE: '4', AUTH_FAILURES_PER_MINUTE: '3' };
  const first = await buildTestApp(t, env);
  const second = await buildTestApp(t, env, first.database);
  const owner = await tenantWithKey(first.database);
  const on = (app: typeof first.app) => app.inject({ url: '/v1/tenant', headers: owner.auth });

  const statuses = [await on(first.app), await on(second.app), await on(first.app), await on(second.app), await on(first.app), await on(second.app)].map((r) => r.statusCode);
  t.same(statuses, [200, 200, 200, 200, 429, 429], 'four requests across two instances spend the budget of four');

  // An address of its own, so parallel runs against the same Redis do not meet.
  const address = `198.18.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
  const fail = (app: typeof first.app) => app.inject({ url: '/v1/tenant', remoteAddress: address, headers: { authorization: forged() } });
  const failures = [await fail(first.app), await fail(second.app), await fail(first.app), await fail(second.app)].map((r) => r.statusCode);
  t.same(failures, [401, 401, 401, 429], 'failed authentications count across instances');
});

tap.test('with Redis unreachable, requests are served and the outage is logged', async (t) => {
  const { app, database, logs } = await buildTestApp(t, { REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_PER_MINUTE: '2' });
  const owner = await tenantWithKey(database);
  for (let i = 0; i < 5; i++) t.equal((await app.inject({ url: '/v1/tenant', headers: owner.auth })).statusCode, 200);
  t.ok(
    logs.some((l) => l.level === 40 && /rate-limit store \(Redis\) unreachable/.test(String(l.msg))),
    'a warning says the budgets are not enforced',
  );
});
