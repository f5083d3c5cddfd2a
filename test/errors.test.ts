import t from 'tap';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../src/errors.js';
import { buildTestApp, tenantWithKey } from './helpers/app.js';

t.test('errors are problem+json on REST and coded on GraphQL', async (t) => {
  const { app, database, logs } = await buildTestApp(t, { BODY_LIMIT_BYTES: '2048' });
  const { auth } = await tenantWithKey(database);

  // Probe routes that fail in each way the shell must translate.
  await app.register(async (api) => {
    api.setValidatorCompiler(validatorCompiler);
    api.setSerializerCompiler(serializerCompiler);
    api.withTypeProvider<ZodTypeProvider>().post(
      '/v1/probe/echo',
      { schema: { body: z.strictObject({ name: z.string().min(1), emails: z.array(z.email()).optional() }), querystring: z.object({ limit: z.coerce.number().int().max(100).optional() }) } },
      async (request) => request.body,
    );
    api.get('/v1/probe/crash', async () => {
      throw new Error('relation "secret_table" does not exist at /srv/app/src/x.ts:12');
    });
    api.get('/v1/probe/conflict', async () => {
      throw new AppError('invalid_transition', 'Cannot go from completed to planned.', { extra: { allowed: [] } });
    });
  });

  const problem = (res: { statusCode: number; headers: Record<string, unknown>; json(): Record<string, unknown> }, status: number, code: string) => {
    t.equal(res.statusCode, status);
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    const body = res.json();
    t.match(body, { type: `urn:problem:${code}`, status, code, title: String, detail: String, requestId: String });
    t.equal(body.requestId, res.headers['x-request-id']);
    return body;
  };

  t.test('validation lists every problem by path', async (t) => {
    const res = await app.inject({ method: 'POST', url: '/v1/probe/echo?limit=500', headers: auth, payload: { name: 'x' } });
    const q = problem(res, 400, 'validation_failed');
    t.match(q.errors, [{ path: 'query.limit', message: String }]);
    const body = await app.inject({ method: 'POST', url: '/v1/probe/echo', headers: auth, payload: { name: '', emails: ['ok@example.org', 'nope'], id: 'x' } });
    const b = problem(body, 400, 'validation_failed');
    const paths = (b.errors as { path: string }[]).map((e) => e.path).sort();
    t.same(paths, ['(root)', 'emails.1', 'name'].sort(), 'the unknown field, the bad email and the empty name');
  });

  t.test('a body that is not JSON', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/probe/echo', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"name": ' });
    problem(res, 400, 'bad_request');
  });

  t.test('a body over the limit', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/probe/echo', headers: auth, payload: { name: 'x'.repeat(5000) } });
    problem(res, 413, 'payload_too_large');
  });

  t.test('an unsupported content type', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/probe/echo', headers: { ...auth, 'content-type': 'application/xml' }, payload: '<a/>' });
    problem(res, 415, 'unsupported_media_type');
  });

  t.test('an unknown route', async (t) => {
    const res = await app.inject({ url: '/v1/nothing-here', headers: auth });
    problem(res, 404, 'not_found');
    const anonymous = await app.inject({ url: '/nothing-here' });
    problem(anonymous, 404, 'not_found');
    t.pass();
  });

  t.test('a domain error keeps its extra members', async (t) => {
    const body = problem(await app.inject({ url: '/v1/probe/conflict', headers: auth }), 409, 'invalid_transition');
    t.same(body.allowed, []);
  });

  t.test('a crash shows nothing internal but is logged', async (t) => {
    const res = await app.inject({ url: '/v1/probe/crash', headers: auth });
    const body = problem(res, 500, 'internal');
    t.notMatch(res.body, /secret_table|\/srv\/app|stack/);
    t.equal(body.detail, 'Internal server error');
    const logged = logs.find((l) => l.requestId === body.requestId && l.level === 50);
    t.match(logged, { err: { message: /secret_table/ } }, 'the cause is in the log for operators');
  });

  t.test('GraphQL: parse, validation and depth errors have codes and no hints', async (t) => {
    const gql = (query: string) => app.inject({ method: 'POST', url: '/graphql', headers: auth, payload: { query } });
    const parse = await gql('{ viewer { ');
    t.equal(parse.json().errors[0].extensions.code, 'GRAPHQL_PARSE_FAILED');
    const invalid = await gql('{ viewer { tenan { id } } }');
    t.equal(invalid.json().errors[0].extensions.code, 'GRAPHQL_VALIDATION_FAILED');
    t.notMatch(invalid.body, /Did you mean/);
    t.equal(invalid.statusCode, 400);
    const nested = `{ viewer { ${'tenant { '.repeat(1)}id } } }`;
    t.equal((await gql(nested)).statusCode, 200);
  });
});

t.test('GraphQL depth limit is configurable', async (t) => {
  const { app, database } = await buildTestApp(t, { GRAPHQL_MAX_DEPTH: '1' });
  const { auth } = await tenantWithKey(database);
  const res = await app.inject({ method: 'POST', url: '/graphql', headers: auth, payload: { query: '{ viewer { tenant { id } } }' } });
  t.equal(res.json().errors[0].extensions.code, 'GRAPHQL_VALIDATION_FAILED');
  t.equal(res.json().data, null);
});
