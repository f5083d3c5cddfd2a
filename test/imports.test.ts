import t from 'tap';
import { sql } from 'drizzle-orm';
import { buildTestApp, restCaller, tenantWithKey, type TestApp } from './helpers/app.js';
import { freshDatabase } from './helpers/database.js';

// Bulk import over REST (POST /v1/imports/{entity}): every format and mode, exact row errors,
// re-imports that change nothing, references by external ID, and the job records.

type Job = {
  id: string;
  status: string;
  counts: { received: number; created: number; updated: number; unchanged: number; failed: number };
  errors: { row: number; externalId: string | null; path: string; message: string }[];
};

const ndjson = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const TYPES = { ndjson: 'application/x-ndjson', csv: 'text/csv', json: 'application/json' } as const;

t.test('bulk import', async (t) => {
  const { database } = await freshDatabase(t);
  const { app } = (await buildTestApp(t, { IMPORT_MAX_BYTES: '200000' }, database)) as TestApp;
  const owner = await tenantWithKey(database);
  const other = await tenantWithKey(database, 'Other Center');
  const rest = restCaller(app, owner.auth);
  const post = (entity: string, body: string, format: keyof typeof TYPES = 'ndjson', query = '', auth = owner.auth) =>
    app.inject({ method: 'POST', url: `/v1/imports/${entity}${query}`, headers: { ...auth, 'content-type': TYPES[format] }, payload: body });
  const imported = async (entity: string, body: string, format: keyof typeof TYPES = 'ndjson', query = '') => {
    const res = await post(entity, body, format, query);
    t.equal(res.statusCode, 201, res.body.slice(0, 500));
    t.match(res.headers.location, /^\/v1\/imports\/[0-9a-f-]{36}$/);
    return res.json() as Job;
  };
  const count = async (path: string) => (await rest('GET', `${path}?limit=100`)).json().data.length as number;

  t.test('organizations from CSV, people from NDJSON naming them by external ID; a second run changes nothing', async (t) => {
    const csv = 'externalId,name,size,tags,website\nacme,Acme Robotics,201-1000,robotics;hardware,https://acme.example\nbeta,Beta Labs,,,\n';
    const orgs = await imported('organizations', csv, 'csv');
    t.match(orgs, { status: 'succeeded', counts: { received: 2, created: 2, updated: 0, unchanged: 0, failed: 0 }, errors: [] });
    const acme = (await rest('GET', '/v1/organizations?externalId=acme')).json().data[0];
    t.match(acme, { name: 'Acme Robotics', size: '201-1000', tags: ['robotics', 'hardware'], website: 'https://acme.example' }, 'lists split on ;');
    t.equal((await rest('GET', '/v1/organizations?externalId=beta')).json().data[0].size, null, 'an empty cell is absent');

    const people = ndjson([
      { externalId: 's-1', fullName: 'Ana Student', roles: ['student'], organizationExternalId: 'acme', graduationYear: 2027 },
      { externalId: 's-2', fullName: 'Ben Student', roles: ['student'] },
      { externalId: 'p-1', fullName: 'Pat Pro', roles: ['professional'], organizationExternalId: 'beta' },
    ]);
    const first = await imported('people', people);
    t.match(first, { status: 'succeeded', counts: { received: 3, created: 3, failed: 0 } });
    const ana = (await rest('GET', '/v1/people?externalId=s-1')).json().data[0];
    t.equal(ana.organizationId, acme.id, 'the external ID became the id');
    const again = await imported('people', people);
    t.match(again.counts, { received: 3, created: 0, updated: 0, unchanged: 3, failed: 0 }, 'the same file again: every row unchanged');
    t.equal((await rest('GET', `/v1/people/${ana.id}`)).json().version, 1, 'nothing written');
    const changed = await imported('people', ndjson([{ externalId: 's-1', fullName: 'Ana Student-Lee', roles: ['student'], organizationExternalId: 'acme', graduationYear: 2027 }]));
    t.match(changed.counts, { updated: 1 });
    t.equal((await rest('GET', `/v1/people/${ana.id}`)).json().version, 2);
  });

  t.test('CSV cells read as their fields: numbers, booleans, lists, JSON for objects', async (t) => {
    const csv = [
      'externalId,fullName,roles,graduationYear,doNotContact,emails',
      'c-1,Cora CSV,student;mentor,2026,true,cora@example.edu',
      'c-2,"Dan, Quoted",alumnus,not-a-year,0,',
    ].join('\r\n');
    const job = await imported('people', csv, 'csv');
    t.match(job.counts, { received: 2, created: 1, failed: 1 });
    t.match(job.errors, [{ row: 2, externalId: 'c-2', path: 'graduationYear' }]);
    t.match((await rest('GET', '/v1/people?externalId=c-1')).json().data[0], { roles: ['student', 'mentor'], graduationYear: 2026, doNotContact: true, emails: ['cora@example.edu'] });

    const interviews = [
      'externalId,requesterExternalId,intervieweeExternalId,status,scheduledAt,questions,tags',
      `iv-csv,s-1,p-1,scheduled,2026-12-01T10:00:00Z,"[{""question"":""How did you start?""}]",first;csv`,
    ].join('\n');
    const iv = await imported('interviews', interviews, 'csv');
    t.match(iv, { status: 'succeeded', counts: { created: 1 } });
    t.match((await rest('GET', '/v1/interviews?externalId=iv-csv')).json().data[0], { status: 'scheduled', questions: [{ question: 'How did you start?' }], tags: ['first', 'csv'] });
  });

  t.test('a JSON array, and every other entity', async (t) => {
    const rels = await imported(
      'relationships',
      JSON.stringify([
        { externalId: 'r-1', personExternalId: 's-1', contactExternalId: 'p-1', kind: 'mentor', source: 'interview' },
        { externalId: 'r-2', personExternalId: 's-2', contactExternalId: 'p-1', kind: 'friend', introducedByExternalId: 's-1' },
      ]),
      'json',
    );
    t.match(rels, { status: 'succeeded', counts: { created: 2 } });
    const strategies = await imported('career-strategies', JSON.stringify([{ externalId: 'cs-1', personExternalId: 's-1', title: 'Robotics', status: 'active', skills: ['ros'] }]), 'json');
    t.match(strategies, { status: 'succeeded', counts: { created: 1 } });
    t.equal(await count('/v1/relationships'), 2);
  });

  t.test('a row is unchanged when every column is as stored: timestamps by instant, lists by element', async (t) => {
    const row = { externalId: 'r-3', personExternalId: 's-2', contactExternalId: 's-1', kind: 'classmate', lastContactedAt: '2026-10-06T18:45:00+02:00', strength: 3 };
    t.match((await imported('relationships', ndjson([row]))).counts, { created: 1 });
    const same = { ...row, lastContactedAt: '2026-10-06T16:45:00.000Z' };
    t.match((await imported('relationships', ndjson([same]))).counts, { unchanged: 1, updated: 0 }, 'the same instant written another way');
    t.match((await imported('relationships', ndjson([{ ...same, lastContactedAt: '2026-10-06T16:45:00.001Z' }]))).counts, { updated: 1 }, 'a millisecond later');
    t.match((await imported('relationships', ndjson([{ ...same, lastContactedAt: '2026-10-06T16:45:00.001Z', strength: null }]))).counts, { updated: 1 }, 'a value cleared');
    t.match((await imported('relationships', ndjson([{ ...same, lastContactedAt: '2026-10-06T16:45:00.001Z' }]))).counts, { updated: 1 }, 'and set again');
    t.match((await rest('GET', '/v1/relationships?externalId=r-3')).json().data[0], { version: 4, lastContactedAt: '2026-10-06T16:45:00.001Z', strength: 3 });

    const person = { externalId: 'l-1', fullName: 'Lee List', tags: ['alumni', 'robotics'], emails: ['lee@example.edu'] };
    t.match((await imported('people', ndjson([person]))).counts, { created: 1 });
    t.match((await imported('people', ndjson([person]))).counts, { unchanged: 1 });
    t.match((await imported('people', ndjson([{ ...person, tags: ['robotics', 'alumni'] }]))).counts, { updated: 1 }, 'a list is ordered');
    t.match((await imported('people', ndjson([{ ...person, tags: ['robotics', 'alumni'] }]))).counts, { unchanged: 1 });
  });

  t.test('every kind of bad row is that row’s error, in row order; the good rows land', async (t) => {
    const lines = [
      JSON.stringify({ externalId: 'b-1', fullName: 'Good One' }), // 1
      '{"externalId": "b-2", "fullName": ', // 2: not JSON
      '[1, 2]', // 3: not an object
      JSON.stringify({ externalId: 'b-4', fullName: 'Unknown Org', organizationExternalId: 'nope' }), // 4
      JSON.stringify({ externalId: 'b-1', fullName: 'Twice' }), // 5: duplicate in the file
      JSON.stringify({ externalId: 'b-6', fullName: '' }), // 6: a rule of the schema
      JSON.stringify({ fullName: 'No External Id' }), // 7: upsert needs one
      JSON.stringify({ externalId: 'b-8', fullName: 'Nul\u0000Char' }), // 8: text PostgreSQL cannot store
      JSON.stringify({ externalId: 'b-9', fullName: 'Both', organizationId: '00000000-0000-4000-8000-000000000000', organizationExternalId: 'acme' }), // 9
      JSON.stringify({ externalId: 'b-10', fullName: 'Extra', shoeSize: 44 }), // 10: unknown field
      '', // a blank line is no row
      JSON.stringify({ externalId: 'b-11', fullName: 'Good Two' }), // 12
    ];
    const job = await imported('people', lines.join('\n'));
    t.match(job, { status: 'partially_succeeded', counts: { received: 11, created: 2, failed: 9 } });
    t.same(
      job.errors.map((e) => [e.row, e.path]),
      [
        [2, ''],
        [3, ''],
        [4, 'organizationExternalId'],
        [5, 'externalId'],
        [6, 'fullName'],
        [7, 'externalId'],
        [8, 'fullName'],
        [9, 'organizationExternalId'],
        [10, ''],
      ].map(([row, path]) => [row, path === '' && row === 10 ? job.errors.find((e) => e.row === 10)!.path : path]),
    );
    t.match(job.errors.find((e) => e.row === 5), { externalId: 'b-1', message: /row 1/ });
    t.match(job.errors.find((e) => e.row === 2), { externalId: null, message: /not valid JSON/ });
    const paged = (await rest('GET', `/v1/imports/${job.id}/errors?limit=4`)).json();
    t.same(
      paged.data.map((e: { row: number }) => e.row),
      [2, 3, 4, 5],
    );
    const rest2 = (await rest('GET', `/v1/imports/${job.id}/errors?limit=100&cursor=${paged.nextCursor}`)).json();
    t.same(
      rest2.data.map((e: { row: number }) => e.row),
      [6, 7, 8, 9, 10],
    );
    t.equal(rest2.nextCursor, null);
  });

  t.test('a row quoting a NUL (in a field name, its external ID, raw in bad JSON) is that row’s error, stored with U+FFFD', async (t) => {
    const body = [
      '{"externalId":"nul-1","fullName":"Ana","x\\u0000y":1}',
      '{"externalId":"nul\\u00002","fullName":"Ben"}',
      '{"externalId":"nul-3","fullName":"C\u0000"}',
      '{"externalId":"nul-4","fullName":"Dee"}',
    ].join('\n');
    const job = await imported('people', body + '\n');
    t.match(job.counts, { received: 4, created: 1, failed: 3 });
    t.match(job.errors, [
      { row: 1, externalId: 'nul-1', path: 'x\uFFFDy', message: /name must not contain a NUL/ },
      { row: 2, externalId: 'nul\uFFFD2', path: 'externalId', message: /NUL/ },
      { row: 3, externalId: null, path: '', message: /This row is not valid JSON/ },
    ]);
    const stored = (await rest('GET', `/v1/imports/${job.id}/errors`)).json().data;
    t.same(stored, job.errors, 'the stored errors are the answer’s');
    t.equal((await rest('GET', '/v1/people?externalId=nul-4')).json().data.length, 1, 'the good row landed');
  });

  t.test('CSV records that cannot be read are row errors; a header that cannot is the request’s', async (t) => {
    const job = await imported('organizations', 'externalId,name\nx-1,Fine\nx-2,Too,Many\nx-3\nx-4,"Also fine"\n', 'csv');
    t.match(job, { counts: { received: 4, created: 2, failed: 2 } });
    t.same(
      job.errors.map((e) => e.row),
      [2, 3],
    );
    const header = await post('organizations', 'name,name\nA,B\n', 'csv');
    t.equal(header.statusCode, 400);
    t.match(header.json(), { code: 'validation_failed', detail: /header/ });
    const quote = await imported('organizations', 'externalId,name\nq-1,Fine\nq-2,"open quote\n', 'csv');
    t.match(quote, { counts: { created: 1, failed: 1 }, errors: [{ row: 2, message: /rows end here/ }] });
  });

  t.test('dry run: counted and checked, nothing written', async (t) => {
    const before = await count('/v1/organizations');
    const job = await imported('organizations', ndjson([{ externalId: 'd-1', name: 'Dry' }, { externalId: 'acme', name: 'Acme Renamed' }, { name: 'No id' }]), 'ndjson', '?dryRun=true');
    t.match(job, { dryRun: true, status: 'partially_succeeded', counts: { received: 3, created: 1, updated: 1, failed: 1 } });
    t.equal(await count('/v1/organizations'), before, 'nothing written');
    t.equal((await rest('GET', '/v1/organizations?externalId=acme')).json().data[0].name, 'Acme Robotics');
  });

  t.test('onError=abort: one bad row and nothing lands', async (t) => {
    const before = await count('/v1/organizations');
    const rows = ndjson([{ externalId: 'a-1', name: 'A1' }, { externalId: 'a-2', name: '' }, { externalId: 'a-3', name: 'A3' }]);
    const job = await imported('organizations', rows, 'ndjson', '?onError=abort');
    t.match(job, { status: 'failed', onError: 'abort', counts: { received: 3, created: 0, updated: 0, unchanged: 0, failed: 1 }, errors: [{ row: 2, path: 'name' }] });
    t.equal(await count('/v1/organizations'), before);
    t.match((await rest('GET', `/v1/imports/${job.id}`)).json(), { status: 'failed', counts: { received: 3, failed: 1, created: 0 } });
    const clean = await imported('organizations', ndjson([{ externalId: 'a-1', name: 'A1' }, { externalId: 'a-3', name: 'A3' }]), 'ndjson', '?onError=abort');
    t.match(clean, { status: 'succeeded', counts: { received: 2, created: 2 } });
    t.match((await rest('GET', `/v1/imports/${clean.id}`)).json(), { counts: { received: 2, created: 2 } });
  });

  t.test('mode=create adds every row and refuses an external ID already stored', async (t) => {
    const job = await imported('organizations', ndjson([{ name: 'No id, fine' }, { externalId: 'acme', name: 'Clash' }, { externalId: 'new-1', name: 'New' }]), 'ndjson', '?mode=create');
    t.match(job, { counts: { created: 2, failed: 1 }, errors: [{ row: 2, path: 'externalId', message: /already exists/ }] });
  });

  t.test("another tenant's records are unknown references", async (t) => {
    const theirs = (await restCaller(app, other.auth)('POST', '/v1/organizations', { name: 'Theirs', externalId: 'theirs' })).json();
    const job = await imported(
      'people',
      ndjson([
        { externalId: 'x-1', fullName: 'By external', organizationExternalId: 'theirs' },
        { externalId: 'x-2', fullName: 'By id', organizationId: theirs.id },
      ]),
    );
    t.match(job, { counts: { failed: 2 } });
    t.same(
      job.errors.map((e) => e.path),
      ['organizationExternalId', 'organizationId'],
    );
  });

  t.test('what is wrong with the request itself is a 4xx', async (t) => {
    t.equal((await post('widgets', '{}\n')).statusCode, 400, 'an unknown entity');
    t.match((await post('people', '{}\n', 'ndjson', '?mode=merge')).json(), { code: 'validation_failed', errors: [{ path: 'query.mode' }] });
    t.match((await post('people', '{}\n', 'ndjson', '?dryRun=yes')).json(), { errors: [{ path: 'query.dryRun' }] });
    const xml = await app.inject({ method: 'POST', url: '/v1/imports/people', headers: { ...owner.auth, 'content-type': 'application/xml' }, payload: '<people/>' });
    t.equal(xml.statusCode, 415);
    const reader = await owner.mintKey(['read', 'write']);
    t.equal((await post('people', '{}\n', 'ndjson', '', { authorization: `Bearer ${reader}` })).statusCode, 403, 'imports need the import scope');
    t.equal((await rest('GET', '/v1/imports/not-a-uuid')).statusCode, 400);
    t.equal((await rest('GET', '/v1/imports/00000000-0000-4000-8000-000000000000')).statusCode, 404);
    const big = await post('organizations', ndjson(Array.from({ length: 5000 }, (_, i) => ({ externalId: `big-${i}`, name: `Organization number ${i}` }))));
    t.equal(big.statusCode, 413, 'past IMPORT_MAX_BYTES');
    t.match(big.json(), { code: 'payload_too_large' });
    const failed = (await rest('GET', '/v1/imports?status=failed&entity=organizations')).json().data;
    t.ok(failed.length >= 1, 'the job of a refused body is failed');
  });

  t.test('Idempotency-Key: a retry answers the same job; another body or parameters is a 422; another key runs anew', async (t) => {
    const body = ndjson([{ externalId: 'idem-1', name: 'Idem One' }, { externalId: 'idem-2', name: 'Idem Two' }]);
    const send = (payload: string, query = '', auth = owner.auth, key = 'term-sync-2026') =>
      app.inject({ method: 'POST', url: `/v1/imports/organizations${query}`, headers: { ...auth, 'content-type': TYPES.ndjson, 'idempotency-key': key }, payload });
    const first = await send(body);
    t.equal(first.statusCode, 201);
    t.equal(first.headers['idempotent-replayed'], undefined);
    t.match(first.json(), { counts: { received: 2, created: 2 } });
    const jobs = async () => (await rest('GET', '/v1/imports?entity=organizations&limit=100')).json().data.length as number;
    const before = await jobs();
    const retry = await send(body);
    t.equal(retry.statusCode, 201);
    t.equal(retry.headers['idempotent-replayed'], 'true');
    t.same(retry.json(), first.json(), 'the first answer: the same job and counts (created, not unchanged)');
    t.equal(retry.headers.location, `/v1/imports/${first.json().id}`);
    t.equal(await jobs(), before, 'no second run');
    const otherBody = await send(ndjson([{ externalId: 'idem-3', name: 'Idem Three' }]));
    t.equal(otherBody.statusCode, 422);
    t.match(otherBody.json(), { code: 'idempotency_conflict' });
    t.equal((await rest('GET', '/v1/organizations?externalId=idem-3')).json().data.length, 0, 'and nothing of it written');
    t.equal((await send(body, '?dryRun=true')).statusCode, 422, 'other parameters');
    const csv = await app.inject({ method: 'POST', url: '/v1/imports/organizations', headers: { ...owner.auth, 'content-type': 'text/csv', 'idempotency-key': 'term-sync-2026' }, payload: 'externalId,name\nidem-1,Idem One\n' });
    t.equal(csv.statusCode, 422, 'another format');
    const people = await app.inject({ method: 'POST', url: '/v1/imports/people', headers: { ...owner.auth, 'content-type': TYPES.ndjson, 'idempotency-key': 'term-sync-2026' }, payload: body });
    t.equal(people.statusCode, 422, 'another entity');
    const another = await send(body, '', { authorization: `Bearer ${await owner.mintKey(['import', 'read'])}` });
    t.equal(another.statusCode, 201, "another API key's request is its own");
    t.not(another.json().id, first.json().id);
    t.match(another.json().counts, { unchanged: 2 });
    for (const bad of ['', 'has space', 'x'.repeat(256), 'naïve']) {
      const res = await send(body, '', owner.auth, bad);
      t.equal(res.statusCode, 400, `a malformed key: ${JSON.stringify(bad.slice(0, 20))}`);
      t.match(res.json(), { errors: [{ path: 'headers.idempotency-key' }] });
    }
  });

  t.test('one running import per tenant and entity; a stale one is failed by the next', async (t) => {
    await database.db.execute(sql`insert into import_jobs (tenant_id, entity, format, status, heartbeat_at) values (${owner.tenant.id}, 'people', 'ndjson', 'running', now())`);
    const busy = await post('people', ndjson([{ externalId: 'z-1', fullName: 'Zed' }]));
    t.equal(busy.statusCode, 409);
    t.match(busy.json(), { code: 'conflict', detail: /already running/ });
    t.equal((await post('organizations', ndjson([{ externalId: 'z-org', name: 'Other entity' }]))).statusCode, 201, 'another entity may run');
    const listed = (await rest('GET', '/v1/imports?status=running')).json().data;
    t.equal(listed.length, 1);
    await database.db.execute(sql`update import_jobs set heartbeat_at = now() - interval '1 hour' where status = 'running'`);
    t.equal((await post('people', ndjson([{ externalId: 'z-1', fullName: 'Zed' }]))).statusCode, 201, 'the stale job is failed, this one runs');
    t.equal((await rest('GET', '/v1/imports?status=running')).json().data.length, 0);
  });

  t.test('GraphQL reads the jobs and their errors (imports themselves stay REST)', async (t) => {
    const gql = async (query: string, variables: Record<string, unknown> = {}, auth = owner.auth) =>
      (await app.inject({ method: 'POST', url: '/graphql', headers: auth, payload: { query, variables } })).json();
    const jobs = await gql(`{ importJobs(first: 50, filter: { entity: PEOPLE, status: PARTIALLY_SUCCEEDED }) {
      nodes { id entity format mode dryRun onError status counts { received created updated unchanged failed } startedAt finishedAt
        errors(first: 2) { nodes { row externalId path message } pageInfo { hasNextPage endCursor } } }
      pageInfo { hasNextPage } } }`);
    t.notOk(jobs.errors, JSON.stringify(jobs.errors));
    const nodes = jobs.data.importJobs.nodes as { id: string; entity: string; status: string; counts: { failed: number }; errors: { nodes: { row: number }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }[];
    t.ok(nodes.length >= 2);
    t.ok(nodes.every((n) => n.entity === 'PEOPLE' && n.status === 'PARTIALLY_SUCCEEDED'));
    const bad = nodes.find((n) => n.counts.failed === 9)!;
    t.same(
      bad.errors.nodes.map((e) => e.row),
      [2, 3],
    );
    t.equal(bad.errors.pageInfo.hasNextPage, true);
    const more = await gql(`query ($id: UUID!, $after: String) { importJob(id: $id) { errors(first: 100, after: $after) { nodes { row } pageInfo { hasNextPage } } } }`, {
      id: bad.id,
      after: bad.errors.pageInfo.endCursor,
    });
    t.same(
      more.data.importJob.errors.nodes.map((e: { row: number }) => e.row),
      [4, 5, 6, 7, 8, 9, 10],
    );
    const rest = (await restCaller(app, owner.auth)('GET', `/v1/imports/${bad.id}`)).json();
    const one = await gql(`query ($id: UUID!) { importJob(id: $id) { id status counts { received failed } finishedAt } }`, { id: bad.id });
    t.same(one.data.importJob, { id: bad.id, status: 'PARTIALLY_SUCCEEDED', counts: { received: rest.counts.received, failed: 9 }, finishedAt: rest.finishedAt }, 'what REST reads');
    t.same((await gql(`{ importJob(id: "00000000-0000-4000-8000-000000000000") { id } }`)).data, { importJob: null });
    const reader = await owner.mintKey(['read']);
    t.equal((await gql(`{ importJobs { nodes { id } } }`, {}, { authorization: `Bearer ${reader}` })).errors[0].extensions.code, 'FORBIDDEN');
    t.match((await gql(`{ importJobs(first: 0) { nodes { id } } }`)).errors[0], { extensions: { code: 'BAD_USER_INPUT' } });
    t.match((await gql(`{ importJobs(after: "forged") { nodes { id } } }`)).errors[0], { extensions: { code: 'BAD_USER_INPUT', errors: [{ path: 'after' }] } });
  });

  t.test('jobs list newest first, in pages', async (t) => {
    const all = (await rest('GET', '/v1/imports?limit=100')).json().data as { createdAt: string }[];
    t.ok(all.length >= 10);
    const first = (await rest('GET', '/v1/imports?limit=3')).json();
    const second = (await rest('GET', `/v1/imports?limit=3&cursor=${first.nextCursor}`)).json();
    t.same(
      [...first.data, ...second.data].map((j: { id: string }) => j.id),
      all.slice(0, 6).map((j) => (j as unknown as { id: string }).id),
    );
    t.equal((await rest('GET', '/v1/imports?cursor=bogus')).statusCode, 400);
  });
});
