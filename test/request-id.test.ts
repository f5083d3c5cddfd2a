import t from 'tap';
import { buildTestApp, tenantWithKey } from './helpers/app.js';

t.test('request ids and logs', async (t) => {
  const { app, database, logs } = await buildTestApp(t);
  const { auth, key, tenant } = await tenantWithKey(database);

  t.test('a caller’s id is kept, a bad one replaced, a missing one made', async (t) => {
    const kept = await app.inject({ url: '/v1/tenant', headers: { ...auth, 'x-request-id': 'sync-2026.11.26:42' } });
    t.equal(kept.headers['x-request-id'], 'sync-2026.11.26:42');
    const bad = await app.inject({ url: '/v1/tenant', headers: { ...auth, 'x-request-id': 'x'.repeat(200) } });
    t.match(bad.headers['x-request-id'], /^[0-9a-f-]{36}$/);
    const injected = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'a b\nforged: 1' } });
    t.match(injected.headers['x-request-id'], /^[0-9a-f-]{36}$/);
    const made = await app.inject({ url: '/healthz' });
    t.match(made.headers['x-request-id'], /^[0-9a-f-]{36}$/);
    const error = await app.inject({ url: '/v1/nope', headers: { ...auth, 'x-request-id': 'err-1' } });
    t.equal(error.headers['x-request-id'], 'err-1');
    t.equal(error.json().requestId, 'err-1');
  });

  t.test('log lines carry the request id and tenant, never a key', async (t) => {
    await app.inject({ url: '/v1/tenant', headers: { ...auth, 'x-request-id': 'trace-me' } });
    const lines = logs.filter((l) => l.requestId === 'trace-me');
    t.ok(lines.length >= 2, 'request and response are logged');
    const completed = lines.find((l) => l.msg === 'request completed');
    t.match(completed, { tenantId: tenant.id, res: { statusCode: 200 } });
    const all = JSON.stringify(logs);
    t.notOk(all.includes(key), 'the key never reaches a log');
    t.notOk(all.includes(key.slice(17)), 'nor its secret part');
    t.notOk(all.toLowerCase().includes('bearer'), 'nor the header');
  });

  t.test('a failed login logs no key material either', async (t) => {
    const wrong = `iik_0123456789ab_${'Z'.repeat(43)}`;
    await app.inject({ url: '/v1/tenant', headers: { authorization: `Bearer ${wrong}` } });
    t.notOk(JSON.stringify(logs).includes('Z'.repeat(43)));
  });
});

t.test('security headers and CORS', async (t) => {
  const { app } = await buildTestApp(t, { CORS_ORIGINS: 'https://frontend.example.edu' });
  const res = await app.inject({ url: '/healthz', headers: { origin: 'https://frontend.example.edu' } });
  t.equal(res.headers['x-content-type-options'], 'nosniff');
  t.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
  t.ok(res.headers['strict-transport-security']);
  t.equal(res.headers['access-control-allow-origin'], 'https://frontend.example.edu');
  t.match(res.headers['access-control-expose-headers'], /x-request-id/);
  const other = await app.inject({ url: '/healthz', headers: { origin: 'https://evil.example' } });
  t.equal(other.headers['access-control-allow-origin'], undefined);
  const preflight = await app.inject({
    method: 'OPTIONS',
    url: '/v1/tenant',
    headers: { origin: 'https://frontend.example.edu', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
  });
  t.equal(preflight.statusCode, 204, 'a preflight needs no key');
});

t.test('no CORS unless configured', async (t) => {
  const { app } = await buildTestApp(t);
  const res = await app.inject({ url: '/healthz', headers: { origin: 'https://frontend.example.edu' } });
  t.equal(res.headers['access-control-allow-origin'], undefined);
});
