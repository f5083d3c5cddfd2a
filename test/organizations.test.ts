import t from 'tap';
import { eq } from 'drizzle-orm';
import { people } from '../src/db/schema/index.js';
import { buildTestApp, restCaller, tenantWithKey } from './helpers/app.js';

t.test('organizations over REST', async (t) => {
  const { app, database } = await buildTestApp(t);
  const owner = await tenantWithKey(database);
  const call = restCaller(app, owner.auth);

  const created = await call('POST', '/v1/organizations', { name: ' Acme Robotics ', industry: 'Robotics', size: '201-1000', tags: ['partner', 'partner', 'robotics'], externalId: 'org-1' });
  t.equal(created.statusCode, 201);
  const acme = created.json();
  t.match(acme, { name: 'Acme Robotics', industry: 'Robotics', size: '201-1000', tags: ['partner', 'robotics'], externalId: 'org-1', version: 1, website: null });
  t.equal(created.headers.location, `/v1/organizations/${acme.id}`);
  t.equal(created.headers.etag, '"1"');

  t.test('strict input', async (t) => {
    const res = await call('POST', '/v1/organizations', { name: '', size: 'huge', website: 'ftp://x', id: acme.id, version: 3, tenantId: owner.tenant.id, colour: 'red' });
    t.equal(res.statusCode, 400);
    const paths = res.json().errors.map((e: { path: string }) => e.path);
    for (const p of ['name', 'size', 'website']) t.ok(paths.some((x: string) => x.startsWith(p)), p);
    for (const p of ['id', 'version', 'tenantId', 'colour']) t.ok(paths.includes(p), `${p} is rejected by name`);
    t.equal((await call('POST', '/v1/organizations', [{ name: 'x' }])).statusCode, 400, 'an array is not an object');
    t.equal((await call('POST', '/v1/organizations', { name: 'Dup', externalId: 'org-1' })).statusCode, 409, 'externalId is unique');
  });

  t.test('read with ETag and 304', async (t) => {
    const res = await call('GET', `/v1/organizations/${acme.id}`);
    t.equal(res.statusCode, 200);
    t.same(res.json(), acme);
    t.equal(res.headers.etag, '"1"');
    const cached = await call('GET', `/v1/organizations/${acme.id}`, undefined, { 'if-none-match': '"1"' });
    t.equal(cached.statusCode, 304);
    t.equal(cached.body, '');
    t.equal((await call('GET', `/v1/organizations/${acme.id}`, undefined, { 'if-none-match': '"0"' })).statusCode, 200);
    t.equal((await call('GET', '/v1/organizations/00000000-0000-4000-8000-000000000000')).statusCode, 404);
    t.equal((await call('GET', '/v1/organizations/not-a-uuid')).statusCode, 400);
  });

  t.test('merge patch', async (t) => {
    const res = await call('PATCH', `/v1/organizations/${acme.id}`, JSON.stringify({ website: 'https://acme.example', industry: null }), {
      'content-type': 'application/merge-patch+json',
      'if-match': '"1"',
    });
    t.equal(res.statusCode, 200);
    t.match(res.json(), { website: 'https://acme.example', industry: null, name: 'Acme Robotics', version: 2 });
    t.equal(res.headers.etag, '"2"');
    const same = await call('PATCH', `/v1/organizations/${acme.id}`, { website: 'https://acme.example' });
    t.equal(same.json().version, 2, 'a patch that changes nothing keeps the version');
    const stale = await call('PATCH', `/v1/organizations/${acme.id}`, { location: 'Lyon' }, { 'if-match': '"1"' });
    t.equal(stale.statusCode, 412);
    t.match(stale.json(), { code: 'precondition_failed', currentVersion: 2 });
    t.equal((await call('PATCH', `/v1/organizations/${acme.id}`, { name: null })).statusCode, 400, 'a required field cannot be cleared');
    t.equal((await call('PATCH', `/v1/organizations/${acme.id}`, { version: 9 })).statusCode, 400);
    t.equal((await call('PATCH', `/v1/organizations/${acme.id}`, { location: 'x' }, { 'if-match': 'soon' })).statusCode, 400);
    t.equal((await call('PATCH', '/v1/organizations/00000000-0000-4000-8000-000000000000', { location: 'x' })).statusCode, 404);
  });

  t.test('upsert by external ID', async (t) => {
    const first = await call('PUT', '/v1/organizations/external/crm-77', { name: 'Civic Data Lab', industry: 'Public sector', tags: ['gov'] });
    t.equal(first.statusCode, 201);
    t.match(first.headers.location, /^\/v1\/organizations\/[0-9a-f-]{36}$/);
    t.match(first.json(), { externalId: 'crm-77', version: 1 });
    const again = await call('PUT', '/v1/organizations/external/crm-77', { name: 'Civic Data Lab', industry: 'Public sector', tags: ['gov'] });
    t.equal(again.statusCode, 200);
    t.equal(again.json().version, 1, 'the same representation changes nothing');
    const replaced = await call('PUT', '/v1/organizations/external/crm-77', { name: 'Civic Data Lab' });
    t.match(replaced.json(), { industry: null, tags: [], version: 2 }, 'left-out fields are cleared');
    const mismatch = await call('PUT', '/v1/organizations/external/crm-77', { name: 'x', externalId: 'other' });
    t.equal(mismatch.statusCode, 400);
    t.match(mismatch.json().errors, [{ path: 'externalId' }]);
    const long = 'x'.repeat(200);
    const longPut = await call('PUT', `/v1/organizations/external/${encodeURIComponent(`ü-${long.slice(2)}`)}`, { name: 'Long ID' });
    t.equal(longPut.statusCode, 201, 'a 200-character external ID (percent-encoded) fits the path');
    t.equal(longPut.json().externalId, `ü-${long.slice(2)}`);
    const concurrent = await Promise.all(Array.from({ length: 8 }, () => call('PUT', '/v1/organizations/external/race-1', { name: 'Race' })));
    t.same(concurrent.map((r) => r.statusCode).sort(), [200, 200, 200, 200, 200, 200, 200, 201], 'concurrent upserts create once');
  });

  t.test('lists: filters, pagination, updatedSince', async (t) => {
    const since = new Date().toISOString();
    await Promise.all(
      Array.from({ length: 130 }, (_, i) => call('POST', '/v1/organizations', { name: `Org ${String(i).padStart(3, '0')}`, tags: i % 10 === 0 ? ['tenth'] : [], industry: i % 2 ? 'Odd' : 'Even' })),
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await call('GET', `/v1/organizations?limit=7${cursor ? `&cursor=${cursor}` : ''}&updatedSince=${encodeURIComponent(since)}`);
      t.equal(res.statusCode, 200);
      const body = res.json() as { data: { id: string }[]; nextCursor: string | null };
      seen.push(...body.data.map((o) => o.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    t.equal(seen.length, 130, 'every record once');
    t.equal(new Set(seen).size, 130, 'no duplicates');
    t.equal(pages, 19);
    t.equal((await call('GET', '/v1/organizations?tag=tenth&limit=100')).json().data.length, 13);
    t.equal((await call('GET', '/v1/organizations?industry=Odd&limit=100')).json().data.length, 65);
    t.same((await call('GET', '/v1/organizations?q=acme')).json().data.map((o: { id: string }) => o.id), [acme.id]);
    t.equal((await call('GET', '/v1/organizations?q=100%25')).json().data.length, 0, 'LIKE wildcards are literal');
    t.equal((await call('GET', '/v1/organizations?externalId=org-1')).json().data[0].id, acme.id);
    t.equal((await call('GET', '/v1/organizations?limit=101')).statusCode, 400);
    t.equal((await call('GET', '/v1/organizations?limit=0')).statusCode, 400);
    t.equal((await call('GET', '/v1/organizations?cursor=garbage')).statusCode, 400);
    t.equal((await call('GET', '/v1/organizations?updatedSince=yesterday')).statusCode, 400);
    t.equal((await call('GET', '/v1/organizations?colour=red')).statusCode, 400);
    const future = new Date(Date.now() + 60_000).toISOString();
    t.same((await call('GET', `/v1/organizations?updatedSince=${encodeURIComponent(future)}`)).json(), { data: [], nextCursor: null });
  });

  t.test('delete: 409 with dependents, cascade clears references', async (t) => {
    const org = (await call('POST', '/v1/organizations', { name: 'Employer' })).json();
    await database.db.insert(people).values({ tenantId: owner.tenant.id, fullName: 'Works There', organizationId: org.id });
    const refused = await call('DELETE', `/v1/organizations/${org.id}`);
    t.equal(refused.statusCode, 409);
    t.match(refused.json(), { code: 'conflict', dependents: { people: 1 } });
    t.notOk('interviews' in refused.json().dependents, 'zero counts are left out');
    t.equal((await call('DELETE', `/v1/organizations/${org.id}?cascade=maybe`)).statusCode, 400);
    const gone = await call('DELETE', `/v1/organizations/${org.id}?cascade=true`);
    t.equal(gone.statusCode, 204);
    t.equal((await call('GET', `/v1/organizations/${org.id}`)).statusCode, 404);
    const [person] = await database.db.select().from(people).where(eq(people.fullName, 'Works There'));
    t.match(person, { organizationId: null, version: 2 }, 'the reference is cleared as a change');
    t.equal((await call('DELETE', `/v1/organizations/${org.id}`)).statusCode, 404);
  });

  t.test('scopes: read cannot write', async (t) => {
    const reader = { authorization: `Bearer ${await owner.mintKey(['read'])}` };
    t.equal((await app.inject({ method: 'GET', url: '/v1/organizations', headers: reader })).statusCode, 200);
    t.equal((await app.inject({ method: 'POST', url: '/v1/organizations', headers: reader, payload: { name: 'x' } })).statusCode, 403);
    t.equal((await app.inject({ method: 'DELETE', url: `/v1/organizations/${acme.id}`, headers: reader })).statusCode, 403);
  });
});
