import t from 'tap';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TEST_DATABASE_URL, freshDatabase } from './helpers/database.js';
import { startServer } from './helpers/server-process.js';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../src/db/client.js';

const VIEWER = JSON.stringify({ query: '{ viewer { tenant { name } apiKey { scopes } } }' });

t.test('a first start on the embedded engine seeds a demo and prints a working key, once', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'icrm-start-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const server = await startServer({ DATA_DIR: dataDir, DATABASE_URL: '' }, t);
  await sleep(100); // the banner follows the listening line
  const banner = server.stdout();
  const key = /^ {2}(iik_\S+)$/m.exec(banner)?.[1];
  t.ok(key, 'the banner shows a key');
  t.match(banner, /REST +http:\/\/localhost:\d+\/v1\/tenant/);
  t.match(banner, /GraphQL +http:\/\/localhost:\d+\/graphql/);
  t.match(banner, /GraphiQL +http:\/\/localhost:\d+\/graphiql/);
  const auth = { authorization: `Bearer ${key}` };
  const tenant = await fetch(`${server.url}/v1/tenant`, { headers: auth });
  t.equal(tenant.status, 200);
  t.match(await tenant.json(), { name: 'Demo Career Center', slug: 'demo-career-center' });
  const viewer = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: VIEWER });
  t.same(await viewer.json(), { data: { viewer: { tenant: { name: 'Demo Career Center' }, apiKey: { scopes: ['READ', 'WRITE', 'IMPORT', 'ADMIN'] } } } });
  t.equal((await fetch(`${server.url}/graphiql`)).status, 200);

  server.child.kill('SIGTERM');
  t.equal(await server.exited, 0);

  const again = await startServer({ DATA_DIR: dataDir, DATABASE_URL: '' }, t);
  await sleep(100);
  t.notMatch(again.stdout(), /iik_/, 'a second start prints no key');
  t.equal((await fetch(`${again.url}/v1/tenant`, { headers: auth })).status, 200, 'the data persisted');
  again.child.kill('SIGTERM');
  t.equal(await again.exited, 0);
});

t.test('SIGTERM lets in-flight requests finish, then exits 0', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'icrm-stop-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const server = await startServer({ DATA_DIR: dataDir, DATABASE_URL: '' }, t);
  await sleep(100);
  const key = /^ {2}(iik_\S+)$/m.exec(server.stdout())?.[1];

  // A request whose body is still arriving when the signal comes.
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(`${server.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(VIEWER) },
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.write(VIEWER.slice(0, 10));
    setTimeout(() => {
      server.child.kill('SIGTERM');
      setTimeout(() => req.end(VIEWER.slice(10)), 500);
    }, 300);
  });
  const res = await response;
  t.equal(res.status, 200);
  t.match(JSON.parse(res.body), { data: { viewer: { tenant: { name: 'Demo Career Center' } } } });
  t.equal(await server.exited, 0, 'exit code 0');
  t.match(server.stdout(), /shutting down/);
  await t.rejects(fetch(`${server.url}/healthz`), 'no longer listening');
});

t.test('with DATABASE_URL nothing is seeded and no key is printed', { skip: !TEST_DATABASE_URL && 'needs TEST_DATABASE_URL' }, async (t) => {
  const { database, url } = await freshDatabase(t);
  const server = await startServer({ DATABASE_URL: url }, t);
  await sleep(200);
  t.notMatch(server.stdout(), /iik_/);
  const tenants = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from tenants`));
  t.equal(tenants[0]?.n, 0);
  t.equal((await fetch(`${server.url}/readyz`)).status, 200);
  t.equal((await fetch(`${server.url}/graphiql`)).status, 404, 'GraphiQL is off on a server by default');
  server.child.kill('SIGTERM');
  t.equal(await server.exited, 0);
});
