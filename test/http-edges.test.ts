import t from 'tap';
import { connect, type AddressInfo } from 'node:net';
import { buildTestApp, tenantWithKey } from './helpers/app.js';

// The answers Fastify or Node would otherwise give in their own shapes: every one a problem.

/** Writes raw bytes to the server and reads the whole answer. */
function rawExchange(port: number, request: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

const problemOf = (answer: string) => JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;

t.test('problem+json for every refusal before a route', async (t) => {
  const { app, database } = await buildTestApp(t);
  const { auth } = await tenantWithKey(database);
  const isProblem = (res: { headers: Record<string, unknown>; json(): Record<string, unknown> }, status: number, code: string) => {
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    t.match(res.json(), { status, code, type: `urn:problem:${code}`, requestId: String });
  };

  t.test('405 with Allow for a method the path does not take', async (t) => {
    const collection = await app.inject({ method: 'PUT', url: '/v1/people', headers: auth, payload: {} });
    t.equal(collection.statusCode, 405);
    t.equal(collection.headers.allow, 'GET, HEAD, POST');
    isProblem(collection, 405, 'method_not_allowed');
    const item = await app.inject({ method: 'POST', url: '/v1/people/8c1e3a5f-4d7b-4e9c-a2d6-3f5b7c9e1a24', headers: auth, payload: {} });
    t.equal(item.statusCode, 405);
    t.equal(item.headers.allow, 'GET, HEAD, PATCH, DELETE');
    const nowhere = await app.inject({ method: 'PUT', url: '/v1/nothing', headers: auth });
    t.equal(nowhere.statusCode, 404, 'a path nobody serves stays a 404');
  });

  t.test('414 for a request target over 8 KB', async (t) => {
    const res = await app.inject({ url: `/v1/people?q=${'a'.repeat(9000)}`, headers: auth });
    t.equal(res.statusCode, 414);
    isProblem(res, 414, 'uri_too_long');
  });

  t.test('415 for JSON sent as text/plain, or any other type', async (t) => {
    for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded']) {
      const res = await app.inject({ method: 'POST', url: '/v1/people', headers: { ...auth, 'content-type': type }, payload: '{"fullName":"Ana"}' });
      t.equal(res.statusCode, 415, type);
      isProblem(res, 415, 'unsupported_media_type');
    }
  });

  t.test('400 for a path that cannot be decoded', async (t) => {
    const res = await app.inject({ url: '/v1/people/external/%FF', headers: auth });
    t.equal(res.statusCode, 400);
    isProblem(res, 400, 'bad_request');
  });

  t.test('tenant data is never cached; public documents may be', async (t) => {
    for (const url of ['/v1/tenant', '/v1/people', '/v1/api-keys']) {
      t.equal((await app.inject({ url, headers: auth })).headers['cache-control'], 'no-store', url);
    }
    const gql = await app.inject({ method: 'POST', url: '/graphql', headers: auth, payload: { query: '{ viewer { tenant { id } } }' } });
    t.equal(gql.headers['cache-control'], 'no-store', '/graphql');
    const denied = await app.inject({ url: '/v1/tenant' });
    t.equal(denied.headers['cache-control'], 'no-store', 'a refusal too');
  });

  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;

  t.test('431 for headers over 16 KB, as a problem', async (t) => {
    const answer = await rawExchange(port, `GET /v1/tenant HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`);
    t.match(answer, /^HTTP\/1\.1 431 /);
    t.match(answer, /content-type: application\/problem\+json/i);
    t.match(problemOf(answer), { status: 431, code: 'headers_too_large' });
  });

  t.test('400 for a request that is not HTTP, as a problem', async (t) => {
    const answer = await rawExchange(port, 'NOT HTTP AT ALL\r\n\r\n');
    t.match(answer, /^HTTP\/1\.1 400 /);
    t.match(problemOf(answer), { status: 400, code: 'bad_request' });
  });
});

t.test('CORS for browser clients: every method and header the API uses', async (t) => {
  const { app, database } = await buildTestApp(t, { CORS_ORIGINS: 'https://app.example.edu' });
  const { auth } = await tenantWithKey(database);
  const preflight = await app.inject({
    method: 'OPTIONS',
    url: '/v1/people/8c1e3a5f-4d7b-4e9c-a2d6-3f5b7c9e1a24',
    headers: {
      origin: 'https://app.example.edu',
      'access-control-request-method': 'PATCH',
      'access-control-request-headers': 'authorization, content-type, if-match, idempotency-key, prefer',
    },
  });
  t.equal(preflight.statusCode, 204);
  t.equal(preflight.headers['access-control-allow-origin'], 'https://app.example.edu');
  for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) t.match(preflight.headers['access-control-allow-methods'], method);
  for (const header of ['authorization', 'content-type', 'if-match', 'if-none-match', 'idempotency-key', 'prefer']) {
    t.match(preflight.headers['access-control-allow-headers'], header);
  }
  const res = await app.inject({ url: '/v1/tenant', headers: { ...auth, origin: 'https://app.example.edu' } });
  const exposed = String(res.headers['access-control-expose-headers']);
  for (const header of ['etag', 'location', 'x-request-id', 'retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'idempotent-replayed']) {
    t.match(exposed, header);
  }
  const stranger = await app.inject({ url: '/v1/tenant', headers: { ...auth, origin: 'https://evil.example' } });
  t.equal(stranger.headers['access-control-allow-origin'], undefined, 'an unlisted origin gets no CORS');
});

t.test('/docs is served from the package, under a Content-Security-Policy', async (t) => {
  const { app } = await buildTestApp(t);
  const page = await app.inject({ url: '/docs' });
  t.equal(page.statusCode, 200);
  t.match(page.headers['content-security-policy'], /default-src 'self'/);
  t.match(page.headers['content-security-policy'], /script-src 'self'(;|$)/);
  t.notMatch(page.body, /https?:\/\//, 'no asset from elsewhere');
  const scripts = [...page.body.matchAll(/src="([^"]+)"/g)].map((m) => m[1]!);
  t.ok(scripts.length > 0);
  for (const src of scripts) {
    const asset = await app.inject({ url: new URL(src, 'http://x/docs/').pathname });
    t.equal(asset.statusCode, 200, src);
  }
  const spec = await app.inject({ url: '/docs/json' });
  t.same(spec.json(), (await app.inject({ url: '/openapi.json' })).json(), 'the same document as /openapi.json');
});
