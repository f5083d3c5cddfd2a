import t from 'tap';
import { buildTestApp, idsOf, restCaller, tenantWithKey } from './helpers/app.js';

interface FieldError {
  path: string;
  message: string;
}

t.test('relationships over REST', async (t) => {
  const { app, database } = await buildTestApp(t);
  const owner = await tenantWithKey(database);
  const other = await tenantWithKey(database, 'Other');
  const as = (auth: Record<string, string>) => restCaller(app, auth);
  const call = as(owner.auth);
  const callOther = as(other.auth);
  const ids = idsOf;
  const paths = (res: { json(): unknown }) => [...new Set(((res.json() as { errors?: FieldError[] }).errors ?? []).map((e) => e.path))].sort();
  const person = async (fullName: string, caller = call) => {
    const res = await caller('POST', '/v1/people', { fullName });
    if (res.statusCode !== 201) throw new Error(res.body);
    return (res.json() as { id: string }).id;
  };
  const [ana, ben, cleo, dev] = [await person('Ana'), await person('Ben'), await person('Cleo'), await person('Dev')];
  const [stranger, stranger2] = [await person('Stranger', callOther), await person('Stranger Two', callOther)];
  const [nobody, nobody2] = ['00000000-0000-4000-8000-000000000000', '00000000-0000-4000-8000-000000000001'];

  const created = await call('POST', '/v1/relationships', {
    externalId: 'rel-1',
    personId: ana,
    contactId: ben,
    kind: 'classmate',
    source: 'career_center',
    introducedById: cleo,
    strength: 3,
    lastContactedAt: '2026-01-15T10:00:00+02:00',
    notes: ' Met at the fair. ',
  });
  t.equal(created.statusCode, 201, created.body);
  const anaBen = created.json();
  t.match(anaBen, {
    externalId: 'rel-1',
    personId: ana,
    contactId: ben,
    kind: 'classmate',
    source: 'career_center',
    introducedById: cleo,
    strength: 3,
    lastContactedAt: '2026-01-15T08:00:00.000Z',
    notes: 'Met at the fair.',
    version: 1,
  });
  t.equal(created.headers.location, `/v1/relationships/${anaBen.id}`);
  t.equal(created.headers.etag, '"1"');

  const reverse = await call('POST', '/v1/relationships', { personId: ben, contactId: ana });
  t.equal(reverse.statusCode, 201, 'the reverse pair is another edge');
  const benAna = reverse.json();
  t.match(benAna, { kind: null, source: null, introducedById: null, strength: null, lastContactedAt: null, notes: null });

  t.test('one edge per ordered pair', async (t) => {
    const dup = await call('POST', '/v1/relationships', { personId: ana, contactId: ben, kind: 'friend' });
    t.equal(dup.statusCode, 409);
    t.equal(dup.json().code, 'conflict');
    t.same(paths(dup), ['contactId']);
    const race = await Promise.all(Array.from({ length: 6 }, () => call('POST', '/v1/relationships', { personId: cleo, contactId: dev })));
    t.same(race.map((r) => r.statusCode).sort(), [201, 409, 409, 409, 409, 409], 'concurrent creates of one pair: one wins');
    for (const r of race.filter((r) => r.statusCode === 409)) t.same(paths(r), ['contactId'], 'the losers are told why, on contactId');
  });

  t.test('rules across fields', async (t) => {
    const self = await call('POST', '/v1/relationships', { personId: ana, contactId: ana });
    t.equal(self.statusCode, 400);
    t.same(self.json().errors, [{ path: 'contactId', message: 'must differ from personId' }]);
    for (const introducer of [ana, dev]) {
      const res = await call('POST', '/v1/relationships', { personId: ana, contactId: dev, introducedById: introducer });
      t.equal(res.statusCode, 400, 'the introducer is neither end');
      t.same(paths(res), ['introducedById']);
    }
    const selfPatch = await call('PATCH', `/v1/relationships/${anaBen.id}`, { contactId: ana });
    t.equal(selfPatch.statusCode, 400);
    t.same(paths(selfPatch), ['contactId'], 'a patch cannot make a self-edge');
    const introPatch = await call('PATCH', `/v1/relationships/${anaBen.id}`, { introducedById: ben });
    t.equal(introPatch.statusCode, 400);
    t.same(paths(introPatch), ['introducedById'], 'nor make an end the introducer');
  });

  t.test('references: missing and other-tenant people read alike, by path', async (t) => {
    const missing = await call('POST', '/v1/relationships', { personId: nobody, contactId: ana, introducedById: nobody2 });
    t.equal(missing.statusCode, 400);
    t.equal(missing.json().code, 'validation_failed');
    t.same(missing.json().errors, [
      { path: 'personId', message: 'no person with this id' },
      { path: 'introducedById', message: 'no person with this id' },
    ]);
    const foreign = await call('POST', '/v1/relationships', { personId: stranger, contactId: ana, introducedById: stranger2 });
    t.equal(foreign.statusCode, 400);
    t.same(foreign.json().errors, missing.json().errors, "another tenant's person reads exactly like a missing one");
    const foreignContact = await call('POST', '/v1/relationships', { personId: ana, contactId: stranger });
    t.same(foreignContact.json().errors, [{ path: 'contactId', message: 'no person with this id' }]);
    const patched = await call('PATCH', `/v1/relationships/${anaBen.id}`, { introducedById: stranger });
    t.equal(patched.statusCode, 400);
    t.same(patched.json().errors, [{ path: 'introducedById', message: 'no person with this id' }]);
    const theirs = await callOther('POST', '/v1/relationships', { personId: stranger, contactId: ana });
    t.same(theirs.json().errors, [{ path: 'contactId', message: 'no person with this id' }], 'the other way round too');
  });

  t.test('strict input', async (t) => {
    const rejected = async (body: Record<string, unknown>, path: string, what: string) => {
      const res = await call('POST', '/v1/relationships', { personId: dev, contactId: ana, ...body });
      t.equal(res.statusCode, 400, what);
      t.same(paths(res), [path], `${what}: reported on ${path}`);
    };
    const serverOwned = await call('POST', '/v1/relationships', { personId: dev, contactId: ana, id: anaBen.id, tenantId: owner.tenant.id, version: 2, weight: 1 });
    t.equal(serverOwned.statusCode, 400);
    const said = (serverOwned.json().errors as FieldError[]).map((e) => `${e.path} ${e.message}`).join('\n');
    for (const field of ['id', 'tenantId', 'version', 'weight']) t.match(said, new RegExp(`\\b${field}\\b`), `${field} is named`);
    const bare = await call('POST', '/v1/relationships', {});
    t.equal(bare.statusCode, 400);
    t.same(paths(bare), ['contactId', 'personId'], 'both ends are required');
    await rejected({ personId: 'ana' }, 'personId', 'personId not a UUID');
    await rejected({ contactId: 7 }, 'contactId', 'contactId not a UUID');
    await rejected({ introducedById: 'cleo' }, 'introducedById', 'introducedById not a UUID');
    await rejected({ kind: 'rival' }, 'kind', 'unknown kind');
    await rejected({ source: 'tv' }, 'source', 'unknown source');
    await rejected({ strength: 6 }, 'strength', 'strength above 5');
    await rejected({ strength: -1 }, 'strength', 'strength below 0');
    await rejected({ strength: 2.5 }, 'strength', 'fractional strength');
    await rejected({ lastContactedAt: 'last week' }, 'lastContactedAt', 'not a date-time');
    await rejected({ lastContactedAt: '2026-01-15T10:00:00' }, 'lastContactedAt', 'a date-time without offset');
    await rejected({ notes: 'x'.repeat(10_001) }, 'notes', 'notes over 10,000');
    const edges = await call('POST', '/v1/relationships', { personId: dev, contactId: ana, strength: 0, kind: 'other', source: 'other' });
    t.equal(edges.statusCode, 201, 'strength 0 is a strength');
    t.equal(edges.json().strength, 0);
  });

  t.test('read, merge patch, ETag', async (t) => {
    const read = await call('GET', `/v1/relationships/${anaBen.id}`);
    t.same(read.json(), anaBen);
    t.equal((await call('GET', `/v1/relationships/${anaBen.id}`, undefined, { 'if-none-match': '"1"' })).statusCode, 304);
    t.equal((await callOther('GET', `/v1/relationships/${anaBen.id}`)).statusCode, 404);
    const res = await call('PATCH', `/v1/relationships/${anaBen.id}`, { strength: 5, lastContactedAt: null }, { 'if-match': '"1"' });
    t.equal(res.statusCode, 200, 'changing an edge does not collide with itself');
    t.match(res.json(), { strength: 5, lastContactedAt: null, personId: ana, contactId: ben, introducedById: cleo, version: 2 });
    t.equal((await call('PATCH', `/v1/relationships/${anaBen.id}`, { strength: 5 })).json().version, 2, 'no change, no new version');
    const sameInstant = await call('PATCH', `/v1/relationships/${benAna.id}`, { lastContactedAt: '2026-03-01T12:00:00Z' });
    t.equal(sameInstant.json().version, 2);
    const restated = await call('PATCH', `/v1/relationships/${benAna.id}`, { lastContactedAt: '2026-03-01T13:00:00+01:00' });
    t.equal(restated.json().version, 2, 'the same instant in another offset changes nothing');
    t.equal((await call('PATCH', `/v1/relationships/${anaBen.id}`, { strength: 1 }, { 'if-match': '"1"' })).statusCode, 412);
    t.equal((await call('PATCH', `/v1/relationships/${anaBen.id}`, { personId: null })).statusCode, 400, 'an end cannot be cleared');
    const swapped = await call('PATCH', `/v1/relationships/${anaBen.id}`, { personId: ben, contactId: ana });
    t.equal(swapped.statusCode, 409, 'moving an edge onto an existing pair is a conflict');
    t.same(paths(swapped), ['contactId']);
    const moved = await call('PATCH', `/v1/relationships/${anaBen.id}`, { contactId: dev, introducedById: null });
    t.match(moved.json(), { personId: ana, contactId: dev, introducedById: null, version: 3 }, 'an edge can move to a free pair');
  });

  t.test('upsert by external ID', async (t) => {
    const body = { personId: cleo, contactId: ana, kind: 'mentor', source: 'interview', strength: 4 };
    const first = await call('PUT', '/v1/relationships/external/crm-edge', body);
    t.equal(first.statusCode, 201);
    t.match(first.json(), { externalId: 'crm-edge', kind: 'mentor', version: 1 });
    const again = await call('PUT', '/v1/relationships/external/crm-edge', body);
    t.equal(again.statusCode, 200);
    t.equal(again.json().version, 1);
    const replaced = await call('PUT', '/v1/relationships/external/crm-edge', { personId: cleo, contactId: ana });
    t.match(replaced.json(), { kind: null, source: null, strength: null, version: 2 }, 'left-out fields are cleared');
    const taken = await call('PUT', '/v1/relationships/external/crm-other', { personId: ben, contactId: ana });
    t.equal(taken.statusCode, 409, 'an upsert cannot create a second edge for a pair');
    t.same(paths(taken), ['contactId']);
  });

  t.test('lists: personId, contactId, source', async (t) => {
    const listed = async (query: string) => ids(await call('GET', `/v1/relationships?limit=100&${query}`));
    const all = await listed('');
    const edges = (await call('GET', '/v1/relationships?limit=100')).json().data as { id: string; personId: string; contactId: string; source: string | null }[];
    t.ok(all.length >= 5);
    t.same(await listed(`personId=${ana}`), edges.filter((e) => e.personId === ana).map((e) => e.id));
    t.ok((await listed(`personId=${ana}`)).includes(anaBen.id));
    t.same(await listed(`contactId=${ana}`), edges.filter((e) => e.contactId === ana).map((e) => e.id));
    t.ok((await listed(`contactId=${ana}`)).includes(benAna.id));
    t.notOk((await listed(`contactId=${ana}`)).includes(anaBen.id));
    const referral = await call('POST', '/v1/relationships', { personId: ben, contactId: dev, source: 'referral', introducedById: ana });
    t.same(await listed('source=referral'), [referral.json().id]);
    t.same(await listed(`source=referral&personId=${ana}`), [], 'filters combine');
    t.same(await listed(`personId=${ben}&contactId=${dev}`), [referral.json().id]);
    t.same(await listed(`personId=${stranger}`), []);
    t.same((await callOther('GET', '/v1/relationships')).json(), { data: [], nextCursor: null }, 'another tenant sees none');
    for (const bad of ['personId=ana', 'contactId=1', 'source=tv', 'kind=friend']) {
      t.equal((await call('GET', `/v1/relationships?${bad}`)).statusCode, 400, bad);
    }
    t.match((await call('GET', '/v1/relationships?source=tv')).json().errors, [{ path: 'query.source' }]);
  });

  t.test('delete: nothing depends on an edge', async (t) => {
    t.equal((await callOther('DELETE', `/v1/relationships/${benAna.id}`)).statusCode, 404);
    t.equal((await call('DELETE', `/v1/relationships/${benAna.id}`)).statusCode, 204);
    t.equal((await call('GET', `/v1/relationships/${benAna.id}`)).statusCode, 404);
    t.equal((await call('DELETE', `/v1/relationships/${benAna.id}`)).statusCode, 404);
    const again = await call('POST', '/v1/relationships', { personId: ben, contactId: ana });
    t.equal(again.statusCode, 201, 'the pair is free again');
    t.equal((await call('DELETE', `/v1/relationships/${again.json().id}?cascade=true`)).statusCode, 204, 'cascade has nothing to take along');
    t.equal((await call('GET', `/v1/relationships/${again.json().id}`)).statusCode, 404);
  });

  t.test('scopes: read cannot write', async (t) => {
    const reader = { authorization: `Bearer ${await owner.mintKey(['read'])}` };
    t.equal((await app.inject({ method: 'GET', url: '/v1/relationships', headers: reader })).statusCode, 200);
    t.equal((await app.inject({ method: 'POST', url: '/v1/relationships', headers: reader, payload: { personId: ana, contactId: cleo } })).statusCode, 403);
    t.equal((await app.inject({ method: 'DELETE', url: `/v1/relationships/${anaBen.id}`, headers: reader })).statusCode, 403);
  });
});
