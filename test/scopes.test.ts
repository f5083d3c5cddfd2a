import t from 'tap';
import { buildTestApp, restCaller, tenantWithKey } from './helpers/app.js';

// Scopes imply nothing else (domain.md). A key with `write` but not `read` may change records
// and never see them: its writes answer without the record, as `Prefer: return=minimal` does.

t.test('a write-only key writes but cannot read, not even through a write', async (t) => {
  const { app, database } = await buildTestApp(t);
  const owner = await tenantWithKey(database);
  const admin = restCaller(app, owner.auth);
  const writer = restCaller(app, { authorization: `Bearer ${await owner.mintKey(['write'])}` });
  const ana = (await admin('POST', '/v1/people', { fullName: 'Ana Secret', notes: 'private advising notes' })).json() as { id: string };

  const noBody = (res: Awaited<ReturnType<typeof admin>>, status: number, label: string) => {
    t.equal(res.statusCode, status, label);
    t.equal(res.body, '', `${label}: no body`);
    t.equal(res.headers['preference-applied'], 'return=minimal', label);
    t.notMatch(JSON.stringify(res.headers), /Secret|advising/, `${label}: nothing of the record in the headers`);
  };

  t.equal((await writer('GET', `/v1/people/${ana.id}`)).statusCode, 403, 'reading is refused');
  t.equal((await writer('GET', '/v1/people')).statusCode, 403, 'listing is refused');

  const patched = await writer('PATCH', `/v1/people/${ana.id}`, {});
  noBody(patched, 204, 'PATCH {}');
  t.equal(patched.headers.etag, '"1"', 'the version, which the writer needs for If-Match');

  const changed = await writer('PATCH', `/v1/people/${ana.id}`, { title: 'Engineer' }, { 'if-match': '"1"' });
  noBody(changed, 204, 'PATCH with a change');
  t.equal(changed.headers.etag, '"2"');

  const created = await writer('POST', '/v1/people', { fullName: 'Ben' }, { 'idempotency-key': 'w-1' });
  noBody(created, 201, 'POST');
  t.match(created.headers.location, /^\/v1\/people\/[0-9a-f-]{36}$/);
  const replayed = await writer('POST', '/v1/people', { fullName: 'Ben' }, { 'idempotency-key': 'w-1' });
  noBody(replayed, 201, 'POST replayed');
  t.equal(replayed.headers['idempotent-replayed'], 'true');
  t.equal(replayed.headers.location, created.headers.location);

  noBody(await writer('PUT', '/v1/people/external/stu-1', { fullName: 'Cy' }), 201, 'PUT creating');
  noBody(await writer('PUT', '/v1/people/external/stu-1', { fullName: 'Cy Updated' }), 204, 'PUT replacing');

  const stored = (await admin('GET', `/v1/people/${ana.id}`)).json();
  t.match(stored, { title: 'Engineer', version: 2 }, 'the writes happened');
});

t.test('Prefer: return=minimal, for any key that asks', async (t) => {
  const { app, database } = await buildTestApp(t);
  const owner = await tenantWithKey(database);
  const call = restCaller(app, owner.auth);
  const created = await call('POST', '/v1/organizations', { name: 'Acme' }, { prefer: 'return=minimal' });
  t.equal(created.statusCode, 201);
  t.equal(created.body, '');
  t.equal(created.headers['preference-applied'], 'return=minimal');
  const id = String(created.headers.location).split('/').pop()!;
  const patched = await call('PATCH', `/v1/organizations/${id}`, { industry: 'Robotics' }, { prefer: 'handling=strict, return=minimal' });
  t.equal(patched.statusCode, 204);
  t.equal(patched.headers.etag, '"2"');
  const full = await call('PATCH', `/v1/organizations/${id}`, { industry: 'Robots' }, { prefer: 'return=representation' });
  t.equal(full.statusCode, 200, 'return=representation is the default');
  t.equal(full.json().industry, 'Robots');
  t.equal(full.headers['preference-applied'], undefined);
});
