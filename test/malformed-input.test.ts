import tap from 'tap';
import { buildTestApp, restCaller, tenantWithKey } from './helpers/app.js';
import { fieldPaths, openapi, withPath, type Operation } from './helpers/openapi.js';

type Tap = Pick<typeof tap, 'equal' | 'match' | 'ok'>;

// Input PostgreSQL cannot take, generated from openapi.yaml for every operation: a NUL byte or a
// lone surrogate in every string of every body, query parameter and path parameter; instants
// outside the years 0001-9999 in every date-time; forged cursors; bytes that are not UTF-8;
// JSON nested past the limit; more problems than an answer lists. Each is a 400 naming the
// field, never a 500, never stored altered.

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const operations = Object.entries(openapi.paths).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase() as Method, path, op: op as Operation })),
);
const bodySchema = (op: Operation) => op.requestBody?.content?.['application/json']?.schema;
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const NUL = 'bad\u0000text';
const LONE_SURROGATE = 'bad\ud800text';
const OUT_OF_RANGE = ['0000-06-01T00:00:00Z', '9999-12-31T23:59:59-05:00', '0001-01-01T00:00:00+01:00'];

tap.test('malformed input across every operation of openapi.yaml', async (t) => {
  const { app, database } = await buildTestApp(t, { RATE_LIMIT_PER_MINUTE: '0' });
  const owner = await tenantWithKey(database);
  const call = restCaller(app, owner.auth);
  const made = async (url: string, body: object) => {
    const res = await call('POST', url, body);
    t.equal(res.statusCode, 201, `seed ${url}`);
    return res.json() as { id: string };
  };
  const org = await made('/v1/organizations', { name: 'Acme' });
  const ana = await made('/v1/people', { fullName: 'Ana' });
  const ben = await made('/v1/people', { fullName: 'Ben' });
  const ids: Record<string, string> = {
    organizations: org.id,
    people: ana.id,
    relationships: (await made('/v1/relationships', { personId: ana.id, contactId: ben.id })).id,
    interviews: (await made('/v1/interviews', { requesterId: ana.id, intervieweeId: ben.id })).id,
    'career-strategies': (await made('/v1/career-strategies', { personId: ana.id })).id,
    opportunities: (await made('/v1/opportunities', { seekerId: ana.id, title: 'Intern', advertised: false })).id,
    'question-templates': (await made('/v1/question-templates', { text: 'Why?' })).id,
    'api-keys': owner.keyId,
    webhooks: (await made('/v1/webhooks', { url: 'https://93.184.216.34/hook', types: ['person.*'] })).id,
    imports: (
      await app.inject({ method: 'POST', url: '/v1/imports/organizations', headers: { ...owner.auth, 'content-type': 'application/x-ndjson' }, payload: '{"name": "Imported"}\n' })
    ).json().id,
  };
  const urlOf = (path: string, params: Record<string, string> = {}) =>
    path.replace(/\{(\w+)\}/g, (_m, name: string) => params[name] ?? (name === 'id' ? ids[path.split('/')[2]!]! : name === 'entity' ? 'organizations' : 'ext-1'));

  /** A 400 whose errors name `path`; never a 5xx. */
  const refused = (t: Tap, res: Awaited<ReturnType<typeof call>>, path: string, label: string) => {
    t.equal(res.statusCode, 400, label, { body: res.body });
    t.match(res.headers['content-type'], /application\/problem\+json/, label);
    const errors = (res.json().errors ?? []) as { path: string }[];
    t.ok(
      errors.some((e) => e.path === path),
      `${label}: names ${path}`,
      { errors },
    );
  };

  await t.test('a NUL byte or a lone surrogate in any string of any body', async (t) => {
    let cases = 0;
    for (const { method, path, op } of operations) {
      const schema = bodySchema(op);
      if (!schema) continue;
      for (const field of fieldPaths(schema, (leaf) => leaf.type === 'string' || (Array.isArray(leaf.type) && leaf.type.includes('string')))) {
        for (const bad of [NUL, LONE_SURROGATE]) {
          const res = await call(method, urlOf(path), withPath({}, field, bad));
          refused(t, res, field, `${method} ${path} ${field} ${bad === NUL ? 'NUL' : 'lone surrogate'}`);
          cases++;
        }
      }
    }
    t.ok(cases > 100, `${cases} cases`);
  });

  await t.test('an instant outside the years 0001-9999 in any date-time of any body', async (t) => {
    let cases = 0;
    for (const { method, path, op } of operations) {
      const schema = bodySchema(op);
      if (!schema) continue;
      for (const field of fieldPaths(schema, (leaf) => leaf.format === 'date-time')) {
        for (const bad of OUT_OF_RANGE) {
          refused(t, await call(method, urlOf(path), withPath({}, field, bad)), field, `${method} ${path} ${field}=${bad}`);
          cases++;
        }
      }
    }
    t.ok(cases >= 20, `${cases} cases`);
  });

  await t.test('every query parameter: a NUL byte, bytes that are not UTF-8; every date-time: out of range', async (t) => {
    let cases = 0;
    for (const { method, path, op } of operations) {
      for (const param of (op.parameters ?? []).filter((p) => p.in === 'query')) {
        refused(t, await call(method, `${urlOf(path)}?${param.name}=a%00b`), `query.${param.name}`, `${method} ${path}?${param.name}=NUL`);
        refused(t, await call(method, `${urlOf(path)}?${param.name}=a%FFb`), `query.${param.name}`, `${method} ${path}?${param.name}=%FF`);
        refused(t, await call(method, `${urlOf(path)}?${param.name}=%ED%A0%80`), `query.${param.name}`, `${method} ${path}?${param.name}=surrogate`);
        cases += 3;
        if (param.schema?.format !== 'date-time') continue;
        for (const bad of OUT_OF_RANGE) {
          refused(t, await call(method, `${urlOf(path)}?${param.name}=${encodeURIComponent(bad)}`), `query.${param.name}`, `${method} ${path}?${param.name}=${bad}`);
          cases++;
        }
      }
    }
    t.ok(cases >= 40, `${cases} cases`);
  });

  await t.test('every path parameter: a NUL byte', async (t) => {
    for (const { method, path, op } of operations) {
      for (const param of (op.parameters ?? []).filter((p) => p.in === 'path')) {
        refused(t, await call(method, urlOf(path, { [param.name]: 'a%00b' }), method === 'GET' || method === 'DELETE' ? undefined : {}), `params.${param.name}`, `${method} ${path} ${param.name}=NUL`);
      }
    }
  });

  await t.test('forged cursors on every list', async (t) => {
    const forged = [
      b64(['1', ana.id]),
      b64(['2026-01-01T00:00:00.000Z', '-'.repeat(36)]),
      b64(['0000-01-01T00:00:00.000Z', ana.id]),
      b64(['+010000-01-01T00:00:00.000Z', ana.id]),
      b64(['2026-02-30T00:00:00.000Z', ana.id]),
      b64([2 ** 31]),
      b64([-1]),
      b64([1.5]),
      b64({ id: ana.id }),
      'not base64 at all!',
    ];
    for (const { method, path, op } of operations) {
      if (!(op.parameters ?? []).some((p) => p.name === 'cursor')) continue;
      for (const cursor of forged) refused(t, await call(method, `${urlOf(path)}?cursor=${encodeURIComponent(cursor)}`), 'query.cursor', `${path} cursor ${cursor}`);
    }
  });

  await t.test('a body that is not UTF-8', async (t) => {
    for (const { method, path, op } of operations) {
      if (!bodySchema(op)) continue;
      const payload = Buffer.concat([Buffer.from('{"name":"caf'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
      const res = await app.inject({ method, url: urlOf(path), headers: { ...owner.auth, 'content-type': 'application/json' }, payload });
      t.equal(res.statusCode, 400, `${method} ${path}`);
      t.equal(res.json().code, 'bad_request');
      t.match(res.json().detail, /UTF-8/);
    }
  });

  await t.test('JSON nested past 32 levels is refused before it is parsed', async (t) => {
    const nested = (depth: number) => `${'{"notes":'.repeat(depth)}"x"${'}'.repeat(depth)}`;
    for (const depth of [33, 5000, 200_000]) {
      const res = await app.inject({
        method: 'PATCH',
        url: `/v1/organizations/${org.id}`,
        headers: { ...owner.auth, 'content-type': 'application/merge-patch+json' },
        payload: nested(depth),
      });
      t.equal(res.statusCode, depth > 100_000 ? 413 : 400, `${depth} deep`);
      if (depth <= 100_000) t.match(res.json(), { code: 'bad_request', detail: /at most 32 levels/ });
    }
    const atLimit = await app.inject({
      method: 'PATCH',
      url: `/v1/organizations/${org.id}`,
      headers: { ...owner.auth, 'content-type': 'application/json' },
      payload: nested(32),
    });
    t.equal(atLimit.statusCode, 400, '32 deep parses, then fails validation');
    t.equal(atLimit.json().code, 'validation_failed');
    t.match(atLimit.json().errors, [{ path: 'notes' }]);
  });

  await t.test('an answer lists at most 100 problems and says how many there were', async (t) => {
    const body = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`unknown${i}`, i]));
    const res = await call('POST', '/v1/people', { fullName: 'Many', ...body });
    t.equal(res.statusCode, 400);
    t.equal(res.json().errors.length, 100);
    t.equal(res.json().errorCount, 150);
    const few = await call('POST', '/v1/people', { fullName: '' });
    t.equal(few.json().errorCount, 1);
  });

  await t.test('GraphQL variables are held to the same rules', async (t) => {
    const gql = (payload: object) => app.inject({ method: 'POST', url: '/graphql', headers: owner.auth, payload });
    const res = await gql({ query: 'query ($x: String) { viewer { tenant { id } } }', variables: { x: NUL } });
    t.equal(res.statusCode, 400);
    t.equal(res.json().errors[0].extensions.code, 'BAD_USER_INPUT');
    t.match(res.json().errors[0].extensions.errors, [{ path: 'variables.x' }]);
    const deep = await app.inject({
      method: 'GET',
      url: `/graphql?query=${encodeURIComponent('{ viewer { tenant { id } } }')}&variables=${encodeURIComponent(`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`)}`,
      headers: owner.auth,
    });
    t.equal(deep.statusCode, 400);
    t.equal(deep.json().errors[0].extensions.code, 'BAD_REQUEST');
  });

  await t.test('nothing above was stored', async (t) => {
    for (const collection of ['organizations', 'people']) {
      const res = await call('GET', `/v1/${collection}?limit=100`);
      for (const record of res.json().data as Record<string, unknown>[]) {
        // The markers' own text (`bad…text`), not a bare "bad": a random id may hold that (…bdabad07).
        t.notMatch(JSON.stringify(record), /\\u0000|\ufffd|bad.{0,6}text/, `${collection} ${record.id as string}`);
      }
    }
  });
});
