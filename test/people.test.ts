import t from 'tap';
import { and, eq, sql } from 'drizzle-orm';
import { rowsOf } from '../src/db/client.js';
import {
  careerStrategies,
  careerStrategyInterviews,
  careerStrategyRevisions,
  interviewReferrals,
  interviews,
  people,
  relationships,
} from '../src/db/schema/index.js';
import { personSearch } from '../src/modules/people/people.repository.js';
import { buildTestApp, idsOf, restCaller, tenantWithKey } from './helpers/app.js';

interface FieldError {
  path: string;
  message: string;
}

t.test('people over REST', async (t) => {
  const { app, database } = await buildTestApp(t);
  const owner = await tenantWithKey(database);
  const other = await tenantWithKey(database, 'Other');
  const as = (auth: Record<string, string>) => restCaller(app, auth);
  const call = as(owner.auth);
  const callOther = as(other.auth);
  const ids = idsOf;
  const create = async (body: Record<string, unknown>) => {
    const res = await call('POST', '/v1/people', body);
    if (res.statusCode !== 201) throw new Error(`create failed: ${res.body}`);
    return res.json() as { id: string; version: number };
  };

  const employer = (await call('POST', '/v1/organizations', { name: 'Analytical Engines' })).json();
  const foreignEmployer = (await callOther('POST', '/v1/organizations', { name: 'Elsewhere Inc' })).json();

  const created = await call('POST', '/v1/people', {
    externalId: 'stu-1',
    fullName: ' Ada Lovelace ',
    preferredName: 'Ada',
    pronouns: 'she/her',
    emails: ['Ada@Example.com', 'ada@example.COM', ' second@Example.org '],
    phone: '+44 20 7946 0000',
    location: 'London',
    headline: 'Programmer of the analytical engine',
    linkedinUrl: 'https://www.linkedin.com/in/ada',
    roles: ['student', 'mentor', 'student'],
    program: 'Mathematics',
    graduationYear: 2027,
    organizationId: employer.id,
    title: 'Analyst',
    tags: ['poet', 'poet', 'math'],
    notes: 'Wrote the first program.',
  });
  t.equal(created.statusCode, 201, created.body);
  const ada = created.json();
  t.same(ada.emails, ['ada@example.com', 'second@example.org'], 'emails trimmed, lower-cased, de-duplicated case-insensitively');
  t.same(ada.roles, ['student', 'mentor'], 'roles de-duplicated, order kept');
  t.same(ada.tags, ['poet', 'math']);
  t.match(ada, {
    externalId: 'stu-1',
    fullName: 'Ada Lovelace',
    graduationYear: 2027,
    organizationId: employer.id,
    doNotContact: false,
    version: 1,
  });
  t.equal(created.headers.location, `/v1/people/${ada.id}`);
  t.equal(created.headers.etag, '"1"');

  t.test('strict input', async (t) => {
    const rejected = async (body: Record<string, unknown>, path: string, what: string) => {
      const res = await call('POST', '/v1/people', { fullName: 'Valid Name', ...body });
      t.equal(res.statusCode, 400, what);
      t.equal(res.json().code, 'validation_failed', what);
      // A set: zod 4 may add a second message on the same path (a length check on a non-array).
      t.same([...new Set((res.json().errors as FieldError[]).map((e) => e.path))], [path], `${what}: reported on ${path}`);
    };
    const serverOwned = await call('POST', '/v1/people', {
      fullName: 'x',
      id: ada.id,
      tenantId: owner.tenant.id,
      version: 3,
      createdAt: ada.createdAt,
      updatedAt: ada.updatedAt,
      colour: 'red',
    });
    t.equal(serverOwned.statusCode, 400);
    const said = (serverOwned.json().errors as FieldError[]).map((e) => `${e.path} ${e.message}`).join('\n');
    for (const field of ['id', 'tenantId', 'version', 'createdAt', 'updatedAt', 'colour']) t.match(said, new RegExp(`\\b${field}\\b`), `${field} is named`);

    const missing = await call('POST', '/v1/people', { emails: [] });
    t.equal(missing.statusCode, 400);
    t.ok((missing.json().errors as FieldError[]).some((e) => e.path === 'fullName'), 'fullName is required');
    await rejected({ fullName: '   ' }, 'fullName', 'blank fullName');
    await rejected({ fullName: 'x'.repeat(201) }, 'fullName', 'fullName over 200');
    await rejected({ preferredName: 'x'.repeat(101) }, 'preferredName', 'preferredName over 100');
    await rejected({ pronouns: 'x'.repeat(101) }, 'pronouns', 'pronouns over 100');
    await rejected({ emails: ['ok@example.com', 'not-an-email'] }, 'emails.1', 'bad email');
    await rejected({ emails: 'ada@example.com' }, 'emails', 'emails is a list');
    await rejected({ emails: Array.from({ length: 11 }, (_, i) => `p${i}@example.com`) }, 'emails', 'more than 10 emails');
    await rejected({ headline: 'x'.repeat(301) }, 'headline', 'headline over 300');
    await rejected({ linkedinUrl: 'ftp://linkedin.com/in/x' }, 'linkedinUrl', 'non-http URL');
    await rejected({ linkedinUrl: 'linkedin ada' }, 'linkedinUrl', 'not a URL');
    await rejected({ roles: ['student', 'wizard'] }, 'roles.1', 'unknown role');
    await rejected({ graduationYear: 1899 }, 'graduationYear', 'year before 1900');
    await rejected({ graduationYear: 2101 }, 'graduationYear', 'year after 2100');
    await rejected({ graduationYear: 2000.5 }, 'graduationYear', 'fractional year');
    await rejected({ graduationYear: '2000' }, 'graduationYear', 'year as a string');
    await rejected({ organizationId: 'acme' }, 'organizationId', 'organizationId not a UUID');
    await rejected({ tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }, 'tags', 'more than 50 tags');
    await rejected({ doNotContact: 'yes' }, 'doNotContact', 'doNotContact not a boolean');
    await rejected({ notes: 'x'.repeat(10_001) }, 'notes', 'notes over 10,000');

    const ten = await call('POST', '/v1/people', { fullName: 'Ten Mails', emails: Array.from({ length: 10 }, (_, i) => `p${i}@example.com`), graduationYear: 2100 });
    t.equal(ten.statusCode, 201, 'exactly 10 emails and year 2100 are fine');
    t.equal(ten.json().emails.length, 10);
    t.equal((await call('POST', '/v1/people', [{ fullName: 'x' }])).statusCode, 400, 'an array is not an object');
    const dup = await call('POST', '/v1/people', { fullName: 'Dup', externalId: 'stu-1' });
    t.equal(dup.statusCode, 409, 'externalId is unique');
    t.match(dup.json(), { code: 'conflict', errors: [{ path: 'externalId' }] });
  });

  t.test('organizationId must name an organization of the same tenant', async (t) => {
    const nowhere = await call('POST', '/v1/people', { fullName: 'Nobody', organizationId: '00000000-0000-4000-8000-000000000000' });
    t.equal(nowhere.statusCode, 400);
    t.match(nowhere.json(), { code: 'validation_failed' });
    t.same(nowhere.json().errors, [{ path: 'organizationId', message: 'no organization with this id' }]);
    const foreign = await call('POST', '/v1/people', { fullName: 'Nobody', organizationId: foreignEmployer.id });
    t.equal(foreign.statusCode, 400);
    t.same(foreign.json().errors, nowhere.json().errors, "another tenant's organization reads exactly like a missing one");
    t.equal(foreign.json().detail, nowhere.json().detail);
    const patched = await call('PATCH', `/v1/people/${ada.id}`, { organizationId: foreignEmployer.id });
    t.equal(patched.statusCode, 400);
    t.same(patched.json().errors, nowhere.json().errors, 'on a patch too');
    const upserted = await call('PUT', '/v1/people/external/org-check', { fullName: 'Nobody', organizationId: foreignEmployer.id });
    t.equal(upserted.statusCode, 400);
    t.same(upserted.json().errors, nowhere.json().errors, 'and on an upsert');
    t.equal((await call('GET', '/v1/people?externalId=org-check')).json().data.length, 0, 'nothing was written');
  });

  t.test('read with ETag and 304; other tenants see nothing', async (t) => {
    const res = await call('GET', `/v1/people/${ada.id}`);
    t.equal(res.statusCode, 200);
    t.same(res.json(), ada);
    t.equal(res.headers.etag, '"1"');
    t.equal((await call('GET', `/v1/people/${ada.id}`, undefined, { 'if-none-match': '"1"' })).statusCode, 304);
    t.equal((await call('GET', '/v1/people/00000000-0000-4000-8000-000000000000')).statusCode, 404);
    t.equal((await callOther('GET', `/v1/people/${ada.id}`)).statusCode, 404);
    t.equal((await callOther('PATCH', `/v1/people/${ada.id}`, { title: 'x' })).statusCode, 404);
    t.equal((await callOther('DELETE', `/v1/people/${ada.id}`)).statusCode, 404);
    t.same((await callOther('GET', '/v1/people')).json(), { data: [], nextCursor: null });
  });

  t.test('merge patch', async (t) => {
    const res = await call(
      'PATCH',
      `/v1/people/${ada.id}`,
      JSON.stringify({ preferredName: null, emails: ['ADA@example.com', 'third@example.net'], doNotContact: true }),
      { 'content-type': 'application/merge-patch+json', 'if-match': '"1"' },
    );
    t.equal(res.statusCode, 200, res.body);
    t.match(res.json(), { preferredName: null, doNotContact: true, fullName: 'Ada Lovelace', organizationId: employer.id, version: 2 });
    t.same(res.json().emails, ['ada@example.com', 'third@example.net']);
    t.equal(res.headers.etag, '"2"');
    const same = await call('PATCH', `/v1/people/${ada.id}`, { emails: ['ada@EXAMPLE.com', 'Third@example.net'] });
    t.equal(same.json().version, 2, 'the same emails in another case change nothing');
    const stale = await call('PATCH', `/v1/people/${ada.id}`, { title: 'Countess' }, { 'if-match': '"1"' });
    t.equal(stale.statusCode, 412);
    t.match(stale.json(), { code: 'precondition_failed', currentVersion: 2 });
    const reset = await call('PATCH', `/v1/people/${ada.id}`, { doNotContact: null, organizationId: null });
    t.match(reset.json(), { doNotContact: false, organizationId: null, version: 3 }, 'null restores the default and clears the employer');
    t.equal((await call('PATCH', `/v1/people/${ada.id}`, { fullName: null })).statusCode, 400, 'fullName cannot be cleared');
    t.equal((await call('PATCH', `/v1/people/${ada.id}`, { version: 9 })).statusCode, 400);
    t.equal((await call('PATCH', `/v1/people/${ada.id}`, { roles: ['pirate'] })).statusCode, 400);
    const back = await call('PATCH', `/v1/people/${ada.id}`, { organizationId: employer.id });
    t.match(back.json(), { organizationId: employer.id, version: 4 });
  });

  t.test('upsert by external ID', async (t) => {
    const full = { fullName: 'Mary Jackson', emails: ['mary@nasa.example'], roles: ['professional'], organizationId: employer.id, doNotContact: true, tags: ['navy'] };
    const first = await call('PUT', '/v1/people/external/crm-9', full);
    t.equal(first.statusCode, 201);
    t.match(first.headers.location, /^\/v1\/people\/[0-9a-f-]{36}$/);
    t.match(first.json(), { externalId: 'crm-9', version: 1, doNotContact: true });
    const again = await call('PUT', '/v1/people/external/crm-9', full);
    t.equal(again.statusCode, 200);
    t.equal(again.json().version, 1, 'the same representation changes nothing');
    const replaced = await call('PUT', '/v1/people/external/crm-9', { fullName: 'Mary Jackson' });
    t.equal(replaced.statusCode, 200);
    t.match(replaced.json(), { id: first.json().id, emails: [], roles: [], tags: [], organizationId: null, doNotContact: false, version: 2 }, 'left-out fields are cleared');
    const mismatch = await call('PUT', '/v1/people/external/crm-9', { fullName: 'x', externalId: 'other' });
    t.equal(mismatch.statusCode, 400);
    t.match(mismatch.json().errors, [{ path: 'externalId' }]);
    t.equal((await call('PUT', '/v1/people/external/crm-10', { fullName: 'x', graduationYear: 3000 })).statusCode, 400);
  });

  t.test('lists: q, tag, role, organizationId', async (t) => {
    const hopper = await create({ fullName: 'Grace Brewster Hopper', headline: 'Rear admiral and compiler pioneer', roles: ['professional', 'mentor'], tags: ['lst-navy'], organizationId: employer.id });
    const johnson = await create({ fullName: 'Katherine Johnson', preferredName: 'Kathy', roles: ['professional'], tags: ['lst-nasa', 'lst-math'] });
    const turing = await create({ fullName: 'Alan Turing', roles: ['alumnus'], tags: ['lst-math'] });
    const q = async (text: string) => ids(await call('GET', `/v1/people?q=${encodeURIComponent(text)}&limit=100`));

    t.same(await q('hopper'), [hopper.id], 'a word of fullName');
    t.same(await q('HOPPER'), [hopper.id], 'case-insensitive');
    t.same(await q('kathy'), [johnson.id], 'a word of preferredName');
    t.same(await q('compiler'), [hopper.id], 'a word of headline');
    t.same(await q('grace hopper'), [hopper.id], 'several words');
    t.same(await q('grace turing'), [], 'every word must match');
    t.same(await q('hop'), [hopper.id], 'a partial word matches as a prefix');
    t.same(await q('Tur'), [turing.id], 'a prefix, case-insensitive');
    t.same(await q('admiral compil'), [hopper.id], 'the last word may be partial');
    t.same(await q('hop grace'), [], 'only the last word is a prefix');
    t.same(await q('lovelace, (ada)!'), [ada.id], 'punctuation is not tsquery syntax');
    t.same(await q('!!! & |'), [], 'no words: nothing, not an error');
    t.equal((await call('GET', '/v1/people?q=%20')).statusCode, 400, 'an empty q is a 400');

    t.same(ids(await call('GET', '/v1/people?tag=lst-math&limit=100')), [johnson.id, turing.id]);
    t.same(ids(await call('GET', '/v1/people?tag=lst-none')), []);
    const mentors = ids(await call('GET', '/v1/people?role=mentor&limit=100'));
    t.same(mentors, [ada.id, hopper.id], 'role: contains the role');
    t.same(ids(await call('GET', '/v1/people?role=professional&tag=lst-math')), [johnson.id], 'filters combine');
    const employed = ids(await call('GET', `/v1/people?organizationId=${employer.id}&limit=100`));
    t.ok(employed.includes(ada.id) && employed.includes(hopper.id), 'organizationId: its employees');
    t.notOk(employed.includes(johnson.id) || employed.includes(turing.id), 'and no one else');
    t.same(ids(await call('GET', `/v1/people?organizationId=${foreignEmployer.id}`)), []);

    const firstPage = await call('GET', '/v1/people?tag=lst-math&limit=1');
    t.same(ids(firstPage), [johnson.id]);
    const secondPage = await call('GET', `/v1/people?tag=lst-math&limit=1&cursor=${firstPage.json().nextCursor}`);
    t.same(ids(secondPage), [turing.id], 'a filtered list pages');
    t.equal(secondPage.json().nextCursor, null);

    for (const bad of ['role=wizard', 'organizationId=acme', 'tag=', 'colour=red', 'limit=101']) {
      const res = await call('GET', `/v1/people?${bad}`);
      t.equal(res.statusCode, 400, bad);
    }
    t.match((await call('GET', '/v1/people?role=wizard')).json().errors, [{ path: 'query.role' }]);
  });

  t.test('q is served by people_search_idx', async (t) => {
    const plan = await database.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      return rowsOf<Record<string, string>>(await tx.execute(sql`explain select id from ${people} where ${personSearch('hop')}`))
        .map((r) => Object.values(r)[0])
        .join('\n');
    });
    t.match(plan, /people_search_idx/, plan);
  });

  t.test('delete: 409 with dependents, then cascade', async (t) => {
    const tenantId = owner.tenant.id;
    const sam = await create({ fullName: 'Sam Student', roles: ['student'] });
    const pro = await create({ fullName: 'Pat Professional', roles: ['professional'] });
    const third = await create({ fullName: 'Third Person' });
    const fourth = await create({ fullName: 'Fourth Person' });
    const edge = async (body: Record<string, unknown>) => {
      const res = await call('POST', '/v1/relationships', body);
      if (res.statusCode !== 201) throw new Error(res.body);
      return res.json() as { id: string };
    };
    const samToPro = await edge({ personId: sam.id, contactId: pro.id });
    const proToSam = await edge({ personId: pro.id, contactId: sam.id });
    const introduced = await edge({ personId: third.id, contactId: fourth.id, introducedById: sam.id, source: 'referral' });
    const untouchedEdge = await edge({ personId: fourth.id, contactId: third.id });

    const interview = async (requesterId: string, intervieweeId: string) =>
      (await database.db.insert(interviews).values({ tenantId, requesterId, intervieweeId, status: 'completed' }).returning())[0]!;
    const samAsks = await interview(sam.id, pro.id);
    const samAnswers = await interview(pro.id, sam.id);
    const namesSam = await interview(third.id, pro.id);
    const unrelated = await interview(third.id, fourth.id);
    await database.db.insert(interviewReferrals).values([
      { tenantId, interviewId: samAsks.id, position: 0, personId: third.id },
      { tenantId, interviewId: samAnswers.id, position: 0, personId: sam.id },
      { tenantId, interviewId: namesSam.id, position: 0, personId: sam.id },
      { tenantId, interviewId: namesSam.id, position: 1, personId: fourth.id },
    ]);
    const strategy = async (personId: string) => (await database.db.insert(careerStrategies).values({ tenantId, personId, status: 'draft' }).returning())[0]!;
    const samsPlan = await strategy(sam.id);
    const prosPlan = await strategy(pro.id);
    const thirdsPlan = await strategy(third.id);
    await database.db.insert(careerStrategyRevisions).values({ tenantId, strategyId: samsPlan.id, revision: 1, snapshot: { title: 'old' } });
    await database.db.insert(careerStrategyInterviews).values([
      { tenantId, strategyId: samsPlan.id, interviewId: samAsks.id, position: 0 },
      { tenantId, strategyId: prosPlan.id, interviewId: samAnswers.id, position: 0 },
      { tenantId, strategyId: thirdsPlan.id, interviewId: unrelated.id, position: 0 },
    ]);

    const refused = await call('DELETE', `/v1/people/${sam.id}`);
    t.equal(refused.statusCode, 409);
    t.equal(refused.json().code, 'conflict');
    t.same(
      refused.json().dependents,
      { relationships: 3, interviews: 2, referrals: 1, careerStrategies: 1 },
      'both ends and the introducer; requester and interviewee; a referral in an interview of others (not in its own); its strategy',
    );
    t.equal((await call('GET', `/v1/people/${sam.id}`)).statusCode, 200, 'a refused delete deletes nothing');

    const introducerOnly = await create({ fullName: 'Only Introduces' });
    await call('PATCH', `/v1/relationships/${untouchedEdge.id}`, { introducedById: introducerOnly.id });
    const onlyRefused = await call('DELETE', `/v1/people/${introducerOnly.id}`);
    t.equal(onlyRefused.statusCode, 409);
    t.same(onlyRefused.json().dependents, { relationships: 1 }, 'zero counts are left out');

    const gone = await call('DELETE', `/v1/people/${sam.id}?cascade=true`);
    t.equal(gone.statusCode, 204);
    t.equal((await call('GET', `/v1/people/${sam.id}`)).statusCode, 404);
    for (const p of [pro, third, fourth]) t.equal((await call('GET', `/v1/people/${p.id}`)).statusCode, 200, 'the others stay');

    t.equal((await call('GET', `/v1/relationships/${samToPro.id}`)).statusCode, 404, 'an edge from the person is deleted');
    t.equal((await call('GET', `/v1/relationships/${proToSam.id}`)).statusCode, 404, 'an edge to the person is deleted');
    const cleared = await call('GET', `/v1/relationships/${introduced.id}`);
    t.match(cleared.json(), { introducedById: null, source: 'referral', version: 2 }, 'the introducer is cleared as a change');
    t.equal((await call('GET', `/v1/relationships/${untouchedEdge.id}`)).json().version, 2, 'an unrelated edge is untouched (its one patch only)');

    const left = await database.db.select().from(interviews).where(eq(interviews.tenantId, tenantId));
    const byId = new Map(left.map((i) => [i.id, i]));
    t.notOk(byId.has(samAsks.id), 'an interview as requester is deleted');
    t.notOk(byId.has(samAnswers.id), 'an interview as interviewee is deleted');
    t.equal(byId.get(namesSam.id)?.version, 2, 'an interview that named the person as referral is changed');
    t.ok(byId.get(namesSam.id)!.updatedAt > namesSam.updatedAt, 'and its updatedAt moves');
    t.equal(byId.get(unrelated.id)?.version, 1, 'an unrelated interview is untouched');
    const referrals = await database.db.select().from(interviewReferrals).where(eq(interviewReferrals.tenantId, tenantId));
    t.same(
      referrals.map((r) => [r.interviewId, r.personId]),
      [[namesSam.id, fourth.id]],
      'only the other referral of the other interview is left',
    );

    const plans = await database.db.select().from(careerStrategies).where(eq(careerStrategies.tenantId, tenantId));
    const planById = new Map(plans.map((p) => [p.id, p]));
    t.notOk(planById.has(samsPlan.id), "the person's strategy is deleted");
    t.equal(planById.get(prosPlan.id)?.version, 2, 'a strategy informed by a deleted interview is changed');
    t.equal(planById.get(thirdsPlan.id)?.version, 1, 'an unrelated strategy is untouched');
    t.same(await database.db.select().from(careerStrategyRevisions).where(eq(careerStrategyRevisions.strategyId, samsPlan.id)), [], 'its revisions went with it');
    const links = await database.db.select().from(careerStrategyInterviews).where(eq(careerStrategyInterviews.tenantId, tenantId));
    t.same(links.map((l) => [l.strategyId, l.interviewId]), [[thirdsPlan.id, unrelated.id]], 'only the unrelated link is left');

    const stillReferring = await database.db
      .select()
      .from(relationships)
      .where(and(eq(relationships.tenantId, tenantId), eq(relationships.introducedById, sam.id)));
    t.same(stillReferring, []);
    t.equal((await call('DELETE', `/v1/people/${sam.id}`)).statusCode, 404);
    const lonely = await create({ fullName: 'No Ties' });
    t.equal((await call('DELETE', `/v1/people/${lonely.id}`)).statusCode, 204, 'a person nothing refers to is simply deleted');
  });

  t.test('scopes: read cannot write', async (t) => {
    const reader = { authorization: `Bearer ${await owner.mintKey(['read'])}` };
    t.equal((await app.inject({ method: 'GET', url: '/v1/people', headers: reader })).statusCode, 200);
    t.equal((await app.inject({ method: 'POST', url: '/v1/people', headers: reader, payload: { fullName: 'x' } })).statusCode, 403);
    t.equal((await app.inject({ method: 'PATCH', url: `/v1/people/${ada.id}`, headers: reader, payload: { title: 'x' } })).statusCode, 403);
    t.equal((await app.inject({ method: 'DELETE', url: `/v1/people/${ada.id}`, headers: reader })).statusCode, 403);
  });
});
