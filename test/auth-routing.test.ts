import tap from 'tap';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildTestApp, tenantWithKey } from './helpers/app.js';

// Authentication belongs to the routes (the /v1 scope, the GraphQL scope), not to URL strings:
// the router decodes a path, so `/graphq%6C` is `/graphql`. Every protected route, spelled every
// way a client can spell it, answers without a key either 401 or a 4xx that runs nothing.

const VIEWER = '{ viewer { tenant { id } } }';

/** A raw request, the path sent byte for byte (no client normalises it). */
function raw(port: number, method: string, path: string, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Spellings of a path that a router might take for it: encoded, doubled, trailing, upper-cased. */
function spellings(path: string): string[] {
  const at = path.lastIndexOf('/') + 2; // a letter inside the last segment
  const hex = path.charCodeAt(at).toString(16);
  return [
    path,
    `${path.slice(0, at)}%${hex}${path.slice(at + 1)}`,
    `${path.slice(0, at)}%${hex.toUpperCase()}${path.slice(at + 1)}`,
    `/%${path.charCodeAt(1).toString(16)}${path.slice(2)}`,
    path.replace(/\//g, '//'),
    `/${path}`,
    `${path}/`,
    path.toUpperCase(),
    path.replace(/^\/v1/, '/V1'),
  ];
}

tap.test('no protected route runs without a key, however its path is spelled', async (t) => {
  const { app, database } = await buildTestApp(t, { AUTH_FAILURES_PER_MINUTE: '0' });
  const owner = await tenantWithKey(database);
  const person = await app.inject({ method: 'POST', url: '/v1/people', headers: owner.auth, payload: { fullName: 'Ana' } });
  const personId = person.json().id as string;
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;

  await app.ready();
  const protectedRoutes = app.routeInventory
    .filter((r) => r.includes(' /v1/') || r.endsWith(' /graphql'))
    .filter((r) => !r.startsWith('HEAD '))
    .map((r) => r.split(' ') as [string, string]);
  t.ok(protectedRoutes.length >= 30, `${protectedRoutes.length} protected routes`);

  const concrete = (path: string) => path.replace(':id', personId).replace(':externalId', 'ext-1');
  let probes = 0;
  for (const [method, pattern] of protectedRoutes) {
    for (const path of spellings(concrete(pattern))) {
      const url = pattern === '/graphql' && method === 'GET' ? `${path}?query=${encodeURIComponent(VIEWER)}` : path;
      const body = method === 'GET' || method === 'DELETE' ? undefined : JSON.stringify(pattern === '/graphql' ? { query: VIEWER } : { fullName: 'Intruder' });
      for (const via of ['inject', 'http'] as const) {
        const res =
          via === 'inject'
            ? await app.inject({ method: method as 'GET', url, ...(body ? { payload: body, headers: { 'content-type': 'application/json' } } : {}) })
            : await raw(port, method, url, body);
        const status = 'statusCode' in res ? res.statusCode : res.status;
        const label = `${method} ${url} (${via}): ${status}`;
        t.ok([400, 401, 404, 405].includes(status), label);
        t.notMatch(res.body, /"tenant"|Intruder|"fullName"/, `${label}: nothing ran`);
        probes++;
      }
      // The spelling the router decodes to the route must meet the key check itself.
      if (path !== `${concrete(pattern)}/` && !path.includes('//') && path === path.toLowerCase() && /%[0-9a-f]{2}/.test(path)) {
        const res = await raw(port, method, url, body);
        t.equal(res.status, 401, `${method} ${url}: decoded to the route, it needs a key`);
      }
    }
  }
  t.ok(probes > 500, `${probes} probes`);

  await t.test('HEAD of a GraphQL query, encoded, needs a key too', async (t) => {
    const res = await raw(port, 'HEAD', `/graphq%6C?query=${encodeURIComponent(VIEWER)}`);
    t.equal(res.status, 401);
  });

  await t.test('GraphiQL’s page and the public documents need none', async (t) => {
    for (const url of ['/healthz', '/readyz', '/openapi.json', '/openapi.yaml', '/schema.graphql', '/docs', '/docs/static/swagger-ui-bundle.js']) {
      t.equal((await app.inject({ url })).statusCode, 200, url);
    }
  });

  await t.test('nothing was created', async (t) => {
    const people = await app.inject({ url: '/v1/people?limit=100', headers: owner.auth });
    t.same(
      (people.json().data as { fullName: string }[]).map((p) => p.fullName),
      ['Ana'],
    );
  });
});

tap.test('GraphiQL, when on, is public; the endpoint behind it is not', async (t) => {
  const { app } = await buildTestApp(t, { GRAPHIQL: 'true' });
  t.equal((await app.inject({ url: '/graphiql' })).statusCode, 200);
  for (const asset of ['start.js', 'graphiql.min.js', 'graphiql.min.css', 'react.production.min.js', 'react-dom.production.min.js']) {
    t.equal((await app.inject({ url: `/graphiql/assets/${asset}` })).statusCode, 200, asset);
  }
  // Only the files named: no path of the disk through the asset route, however spelled.
  for (const url of ['/graphiql/assets/package.json', '/graphiql/assets/..%2F..%2Fpackage.json', '/graphiql/assets/%2e%2e%2fconfig.ts', '/graphiql/assets/toString']) {
    t.equal((await app.inject({ url })).statusCode, 404, url);
  }
  t.equal((await app.inject({ method: 'POST', url: '/graphq%6C', payload: { query: VIEWER } })).statusCode, 401);
});
