import t from 'tap';
import { isEnumType } from 'graphql';
import { interviews, opportunities, opportunityKinds, opportunitySources, opportunityStatuses } from '../src/db/schema/index.js';
import { opportunityStatus, type OpportunityStatus } from '../src/modules/opportunities/opportunity-status.js';
import { Opportunity, OpportunityInput } from '../src/modules/opportunities/opportunities.schemas.js';
import { OpportunityKindEnum, OpportunitySourceEnum, OpportunityStatusEnum } from '../src/modules/opportunities/opportunities.resolvers.js';
import { buildTestApp, idsOf, restCaller, tenantWithKey } from './helpers/app.js';
import { freshDatabase } from './helpers/database.js';
import { graphqlCaller, holdsTo, inputsHoldTo } from './helpers/graphql.js';

// The state machine of domain.md, written out again here so a change to the code's table shows.
const ENDED: OpportunityStatus[] = ['rejected', 'withdrawn', 'closed'];
const EXPECTED: Record<OpportunityStatus, OpportunityStatus[]> = {
  identified: ['applied', ...ENDED],
  applied: ['interviewing', 'offered', ...ENDED],
  interviewing: ['offered', ...ENDED],
  offered: ['accepted', 'declined', 'withdrawn', 'closed'],
  accepted: [],
  declined: [],
  rejected: [],
  withdrawn: [],
  closed: [],
};
const STAMP: Partial<Record<OpportunityStatus, 'appliedAt' | 'offeredAt' | 'decidedAt'>> = {
  applied: 'appliedAt',
  offered: 'offeredAt',
  accepted: 'decidedAt',
  declined: 'decidedAt',
  rejected: 'decidedAt',
  withdrawn: 'decidedAt',
  closed: 'decidedAt',
};
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

t.test('opportunity status transitions (pure)', async (t) => {
  t.same(opportunityStatus.transitions, EXPECTED, 'the table is the one of domain.md');
  for (const from of opportunityStatuses) {
    for (const to of opportunityStatuses) {
      const result = opportunityStatus.checkTransition(from, to);
      if (from === to || EXPECTED[from].includes(to)) t.same(result, { ok: true }, `${from} -> ${to}`);
      else t.same(result, { ok: false, allowed: EXPECTED[from] }, `${from} -> ${to} refused`);
    }
    t.same(opportunityStatus.checkTransition(null, from), { ok: true }, `a new one may start as ${from}`);
  }
});

t.test('opportunities over REST and GraphQL', async (t) => {
  const { app, database } = await buildTestApp(t);
  const owner = await tenantWithKey(database);
  const other = await tenantWithKey(database, 'Other');
  const call = restCaller(app, owner.auth);
  const gql = graphqlCaller<Json>(app, owner.auth);
  const db = database.db;
  const paths = (res: { json(): { errors?: { path: string }[] } }) => (res.json().errors ?? []).map((e) => e.path);
  const made = async (url: string, body: unknown) => {
    const res = await call('POST', url, body);
    if (res.statusCode !== 201) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res.json() as Json;
  };

  const acme = await made('/v1/organizations', { name: 'Acme' });
  const sam = await made('/v1/people', { fullName: 'Sam Student', roles: ['student'] });
  const pat = await made('/v1/people', { fullName: 'Pat Pro', roles: ['professional'] });
  const rex = await made('/v1/people', { fullName: 'Rex Referrer' });
  const chat = await made('/v1/interviews', { requesterId: sam.id, intervieweeId: pat.id, status: 'completed', occurredAt: '2026-10-01T10:00:00Z' });
  const patsChat = await made('/v1/interviews', { requesterId: pat.id, intervieweeId: rex.id });
  const foreign = (await restCaller(app, other.auth)('POST', '/v1/people', { fullName: 'Elsewhere' })).json() as Json;
  const base = { seekerId: sam.id, title: 'Robotics intern', advertised: false };

  t.test('create: defaults, every field, and the record REST answers', async (t) => {
    const res = await call('POST', '/v1/opportunities', base);
    t.equal(res.statusCode, 201);
    t.match(res.json(), { ...base, status: 'identified', kind: null, source: null, appliedAt: null, tags: [], version: 1 });
    t.equal(res.headers.location, `/v1/opportunities/${res.json().id}`);
    const full = await made('/v1/opportunities', {
      ...base,
      externalId: 'opp-1',
      organizationId: acme.id,
      kind: 'internship',
      source: 'referral',
      referredById: pat.id,
      sourceInterviewId: chat.id,
      location: 'Lyon',
      url: 'https://acme.example/jobs/1',
      tags: ['robotics', 'robotics'],
      notes: 'Passed on in our chat',
    });
    t.match(full, { externalId: 'opp-1', kind: 'internship', source: 'referral', referredById: pat.id, sourceInterviewId: chat.id, tags: ['robotics'] });
    t.same((await call('GET', `/v1/opportunities/${full.id}`)).json(), full, 'read back as written');
  });

  t.test('rules: referrer, source interview, references, every problem at once', async (t) => {
    const noReferrer = await call('POST', '/v1/opportunities', { ...base, source: 'referral' });
    t.equal(noReferrer.statusCode, 400);
    t.same(paths(noReferrer), ['referredById']);
    const self = await call('POST', '/v1/opportunities', { ...base, source: 'referral', referredById: sam.id });
    t.same(paths(self), ['referredById'], 'the seeker cannot refer themselves');
    const notTheirs = await call('POST', '/v1/opportunities', { ...base, sourceInterviewId: patsChat.id });
    t.equal(notTheirs.statusCode, 400);
    t.same(paths(notTheirs), ['sourceInterviewId'], "another person's interview is not where the seeker found it");
    const missing = '00000000-0000-4000-8000-000000000000';
    const all = await call('POST', '/v1/opportunities', { ...base, seekerId: foreign.id, organizationId: missing, referredById: missing, sourceInterviewId: missing });
    t.equal(all.statusCode, 400);
    t.same(paths(all), ['seekerId', 'organizationId', 'referredById', 'sourceInterviewId'], "another tenant's person reads as missing");
    const malformed = await call('POST', '/v1/opportunities', { seekerId: 'x', title: '', advertised: 'no', kind: 'gig', source: 'luck', status: 'maybe', url: 'ftp://x', tenantId: missing });
    t.equal(malformed.statusCode, 400);
    t.same(paths(malformed).sort(), ['advertised', 'kind', 'seekerId', 'source', 'status', 'tenantId', 'title', 'url'].sort());
    t.same(paths(await call('POST', '/v1/opportunities', { seekerId: sam.id, title: 'x' })), ['advertised'], 'advertised is required');
  });

  t.test('every transition, over HTTP: allowed moves land and stamp, others are 409 naming the allowed', async (t) => {
    for (const from of opportunityStatuses) {
      for (const to of opportunityStatuses) {
        if (from === to) continue;
        const [row] = await db.insert(opportunities).values({ tenantId: owner.tenant.id, seekerId: sam.id, title: `${from}>${to}`, advertised: true, status: from }).returning();
        const res = await call('PATCH', `/v1/opportunities/${row!.id}`, { status: to });
        if (EXPECTED[from].includes(to)) {
          t.equal(res.statusCode, 200, `${from} -> ${to}`);
          const stamp = STAMP[to];
          if (stamp) t.ok(Date.now() - Date.parse(res.json()[stamp]) < 60_000, `${from} -> ${to} stamps ${stamp}`);
        } else {
          t.equal(res.statusCode, 409, `${from} -> ${to} refused`);
          t.match(res.json(), { code: 'invalid_transition', allowed: EXPECTED[from] });
        }
      }
    }
  });

  t.test('stamps: given ones win, a replacement keeps them, the status machine on PUT too', async (t) => {
    const o = await made('/v1/opportunities', { ...base, externalId: 'opp-stamps' });
    const applied = (await call('PATCH', `/v1/opportunities/${o.id}`, { status: 'applied', appliedAt: '2026-09-01T00:00:00+02:00' })).json();
    t.equal(applied.appliedAt, '2026-08-31T22:00:00.000Z', 'an override is kept (in UTC)');
    const put = await call('PUT', '/v1/opportunities/external/opp-stamps', { ...base, status: 'applied' });
    t.equal(put.statusCode, 200);
    t.equal(put.json().appliedAt, '2026-08-31T22:00:00.000Z', 'left out of a replacement in the same status: kept');
    const back = await call('PUT', '/v1/opportunities/external/opp-stamps', { ...base, status: 'identified' });
    t.equal(back.statusCode, 409, 'PUT follows the transitions');
    const offered = (await call('PATCH', `/v1/opportunities/${o.id}`, { status: 'offered' })).json();
    t.ok(offered.offeredAt);
    t.equal(offered.decidedAt, null);
    const unchanged = await call('PATCH', `/v1/opportunities/${o.id}`, { status: 'offered' });
    t.equal(unchanged.json().version, offered.version, 'the same status is no change');
  });

  t.test('lists filter by seeker, organization, status, source, advertised', async (t) => {
    const hidden = await made('/v1/opportunities', { ...base, seekerId: pat.id, organizationId: acme.id, source: 'network', status: 'offered', title: 'Hidden' });
    const posted = await made('/v1/opportunities', { ...base, seekerId: pat.id, advertised: true, source: 'posting', title: 'Posted' });
    t.same(idsOf(await call('GET', `/v1/opportunities?seekerId=${pat.id}`)), [hidden.id, posted.id]);
    t.same(idsOf(await call('GET', `/v1/opportunities?seekerId=${pat.id}&advertised=false`)), [hidden.id]);
    t.same(idsOf(await call('GET', `/v1/opportunities?seekerId=${pat.id}&advertised=true`)), [posted.id]);
    t.same(idsOf(await call('GET', `/v1/opportunities?organizationId=${acme.id}&status=offered&source=network`)), [hidden.id]);
    const bad = await call('GET', '/v1/opportunities?advertised=yes&status=won&source=luck&seekerId=1');
    t.equal(bad.statusCode, 400);
    t.same(paths(bad).sort(), ['query.advertised', 'query.seekerId', 'query.source', 'query.status']);
    const graph = await gql(`{ opportunities(filter: { seekerId: "${pat.id}", advertised: false }) { totalCount nodes { title status source } } }`);
    t.same(graph.data?.opportunities, { totalCount: 1, nodes: [{ title: 'Hidden', status: 'OFFERED', source: 'NETWORK' }] });
  });

  t.test('GraphQL: the SDL holds to zod, mutations, relations both ways', async (t) => {
    const schema = app.graphqlSchema;
    holdsTo(t, schema, 'Opportunity', Opportunity.shape);
    inputsHoldTo(t, schema, ['CreateOpportunityInput', 'UpdateOpportunityInput'], OpportunityInput.shape);
    for (const [name, values, mapped] of [
      ['OpportunityKind', opportunityKinds, OpportunityKindEnum],
      ['OpportunitySource', opportunitySources, OpportunitySourceEnum],
      ['OpportunityStatus', opportunityStatuses, OpportunityStatusEnum],
    ] as const) {
      const type = schema.getType(name);
      if (!isEnumType(type)) throw new Error(`no enum ${name}`);
      t.same(type.getValues().map((v) => v.name), values.map((v) => v.toUpperCase()), `${name}: the domain's values`);
      t.same(mapped.names, values.map((v) => v.toUpperCase()));
    }
    const created = await gql(
      `mutation ($input: CreateOpportunityInput!) { createOpportunity(input: $input) { opportunity { id status kind source seeker { fullName } referredBy { fullName } sourceInterview { id } organization { name } } } }`,
      { input: { seekerId: sam.id, title: 'Via GraphQL', advertised: false, kind: 'JOB', source: 'INFORMATIONAL_INTERVIEW', referredById: pat.id, sourceInterviewId: chat.id, organizationId: acme.id } },
    );
    const o = created.data?.createOpportunity.opportunity;
    t.match(o, { status: 'IDENTIFIED', kind: 'JOB', source: 'INFORMATIONAL_INTERVIEW', seeker: { fullName: 'Sam Student' }, referredBy: { fullName: 'Pat Pro' }, sourceInterview: { id: chat.id }, organization: { name: 'Acme' } });
    t.equal((await call('GET', `/v1/opportunities/${o.id}`)).json().source, 'informational_interview', 'the same record in REST');
    const refused = await gql(`mutation { updateOpportunity(id: "${o.id}", input: { status: ACCEPTED }) { opportunity { id } } }`);
    t.match(refused.errors?.[0]?.extensions, { code: 'CONFLICT', allowed: ['APPLIED', 'REJECTED', 'WITHDRAWN', 'CLOSED'] });
    const moved = await gql(`mutation { updateOpportunity(id: "${o.id}", input: { status: APPLIED }) { opportunity { status appliedAt } } }`);
    t.equal(moved.data?.updateOpportunity.opportunity.status, 'APPLIED');
    const relations = await gql(`query ($sam: UUID!, $pat: UUID!, $acme: UUID!, $chat: UUID!) {
      seeker: person(id: $sam) { opportunities(first: 100) { totalCount } }
      referrer: person(id: $pat) { opportunitiesReferred { nodes { title } } }
      organization(id: $acme) { opportunities { nodes { title } } }
      interview(id: $chat) { opportunities { totalCount nodes { title seeker { fullName } } } }
    }`, { sam: sam.id, pat: pat.id, acme: acme.id, chat: chat.id });
    t.notOk(relations.errors);
    const ownCount = (await call('GET', `/v1/opportunities?seekerId=${sam.id}&limit=100`)).json().data.length;
    t.equal(relations.data?.seeker.opportunities.totalCount, ownCount);
    t.ok(relations.data?.referrer.opportunitiesReferred.nodes.some((n: Json) => n.title === 'Via GraphQL'));
    t.ok(relations.data?.organization.opportunities.nodes.some((n: Json) => n.title === 'Via GraphQL'));
    t.ok(relations.data?.interview.opportunities.nodes.every((n: Json) => n.seeker.fullName === 'Sam Student'));
    t.ok(relations.data?.interview.opportunities.totalCount >= 2);
  });

  t.test("an interview an opportunity came up in keeps its requester", async (t) => {
    const planned = await made('/v1/interviews', { requesterId: sam.id, intervieweeId: pat.id });
    await made('/v1/opportunities', { ...base, title: 'Came up while planning', sourceInterviewId: planned.id });
    const res = await call('PATCH', `/v1/interviews/${planned.id}`, { requesterId: rex.id });
    t.equal(res.statusCode, 409);
    t.same(res.json().errors, [{ path: 'requesterId', message: 'cannot change while opportunities came up in the interview' }]);
    t.equal((await call('PATCH', `/v1/interviews/${planned.id}`, { goals: 'still editable' })).statusCode, 200);
  });

  t.test('deletions: dependents named, cascade deletes or clears as domain.md says', async (t) => {
    const seeker = await made('/v1/people', { fullName: 'Sol Seeker' });
    const referrer = await made('/v1/people', { fullName: 'Ray Referrer' });
    const org = await made('/v1/organizations', { name: 'Gone Inc' });
    const iv = await made('/v1/interviews', { requesterId: seeker.id, intervieweeId: referrer.id, status: 'completed' });
    const own = await made('/v1/opportunities', { seekerId: seeker.id, title: 'Own', advertised: false, organizationId: org.id, sourceInterviewId: iv.id });
    const passed = await made('/v1/opportunities', { seekerId: sam.id, title: 'Passed on', advertised: false, source: 'referral', referredById: referrer.id, organizationId: org.id });

    const orgRefused = await call('DELETE', `/v1/organizations/${org.id}`);
    t.equal(orgRefused.statusCode, 409);
    t.same(orgRefused.json().dependents, { opportunities: 2 });
    t.equal((await call('DELETE', `/v1/organizations/${org.id}?cascade=true`)).statusCode, 204);
    t.match((await call('GET', `/v1/opportunities/${own.id}`)).json(), { organizationId: null, version: 2 }, 'the organization cleared, as a change');

    const ivRefused = await call('DELETE', `/v1/interviews/${iv.id}`);
    t.same(ivRefused.json().dependents, { opportunities: 1 });
    t.equal((await call('DELETE', `/v1/interviews/${iv.id}?cascade=true`)).statusCode, 204);
    t.match((await call('GET', `/v1/opportunities/${own.id}`)).json(), { sourceInterviewId: null, version: 3 });

    const personRefused = await call('DELETE', `/v1/people/${referrer.id}`);
    t.same(personRefused.json().dependents, { opportunitiesReferred: 1 });
    t.same((await call('DELETE', `/v1/people/${seeker.id}`)).json().dependents, { opportunities: 1 });
    t.equal((await call('DELETE', `/v1/people/${referrer.id}?cascade=true`)).statusCode, 204);
    const orphan = (await call('GET', `/v1/opportunities/${passed.id}`)).json();
    t.match(orphan, { referredById: null, source: 'referral' }, 'a referral keeps its source when its referrer goes');
    t.equal((await call('PATCH', `/v1/opportunities/${passed.id}`, { notes: 'still editable' })).statusCode, 200, 'and stays editable');
    t.equal((await call('DELETE', `/v1/people/${seeker.id}?cascade=true`)).statusCode, 204);
    t.equal((await call('GET', `/v1/opportunities/${own.id}`)).statusCode, 404, "the seeker's own go with them");
  });

  t.test("a person's cascade clears the source of others' opportunities that came up in their interviews", async (t) => {
    const host = await made('/v1/people', { fullName: 'Hal Host' });
    const iv = await made('/v1/interviews', { requesterId: sam.id, intervieweeId: host.id, status: 'completed' });
    const o = await made('/v1/opportunities', { ...base, title: 'From Hal', sourceInterviewId: iv.id });
    t.equal((await call('DELETE', `/v1/people/${host.id}?cascade=true`)).statusCode, 204);
    t.equal((await db.select().from(interviews)).some((r) => r.id === iv.id), false, 'their interview went');
    t.match((await call('GET', `/v1/opportunities/${o.id}`)).json(), { sourceInterviewId: null });
  });

  t.test('bulk import by external IDs', async (t) => {
    await call('PATCH', `/v1/people/${sam.id}`, { externalId: 'stu-1' });
    await call('PATCH', `/v1/people/${pat.id}`, { externalId: 'pro-1' });
    const logged = await made('/v1/interviews', { externalId: 'ii-1', requesterId: sam.id, intervieweeId: pat.id, status: 'completed' });
    const rows = [
      { externalId: 'imp-1', seekerExternalId: 'stu-1', title: 'Imported', advertised: false, source: 'referral', referredByExternalId: 'pro-1', sourceInterviewExternalId: 'ii-1', status: 'offered' },
      { externalId: 'imp-2', seekerExternalId: 'stu-1', title: 'Bad', advertised: true, source: 'referral' },
    ];
    const body = rows.map((r) => JSON.stringify(r)).join('\n');
    const first = await app.inject({ method: 'POST', url: '/v1/imports/opportunities', headers: { ...owner.auth, 'content-type': 'application/x-ndjson' }, payload: body });
    t.equal(first.statusCode, 201);
    t.match(first.json(), { counts: { received: 2, created: 1, failed: 1 }, errors: [{ row: 2, path: 'referredById' }] });
    const imported = (await call('GET', '/v1/opportunities?externalId=imp-1')).json().data[0];
    t.match(imported, { seekerId: sam.id, referredById: pat.id, sourceInterviewId: logged.id, status: 'offered' });
    t.ok(imported.offeredAt, 'an imported offer is stamped');
    const again = await app.inject({ method: 'POST', url: '/v1/imports/opportunities', headers: { ...owner.auth, 'content-type': 'application/x-ndjson' }, payload: body });
    t.match(again.json().counts, { unchanged: 1, failed: 1 }, 'a re-run changes nothing');
  });
});

t.test("GraphQL: the new relations' statements grow with the depth of a query, never with its rows", async (t) => {
  const statements: string[] = [];
  const { database } = await freshDatabase(t, { onQuery: (text) => statements.push(text) });
  for (const trees of ['true', 'false']) {
    const { app } = await buildTestApp(t, { GRAPHQL_SQL_TREES: trees, GRAPHQL_MAX_COST: '1000000' }, database);
    const owner = await tenantWithKey(database, `Center ${trees}`);
    const call = restCaller(app, owner.auth);
    const gql = graphqlCaller<Json>(app, owner.auth);
    const made = async (url: string, body: unknown) => (await call('POST', url, body)).json() as Json;
    const org = await made('/v1/organizations', { name: 'Acme' });
    const template = await made('/v1/question-templates', { text: 'Who else should I meet?' });
    const pro = await made('/v1/people', { fullName: 'Pat Pro' });
    // Students, each with an interview citing a template and two opportunities from it.
    const student = async (n: number) => {
      const s = await made('/v1/people', { fullName: `Student ${n}` });
      const iv = await made('/v1/interviews', { requesterId: s.id, intervieweeId: pro.id, questions: [{ question: template.text, templateId: template.id }] });
      for (const title of ['A', 'B']) await made('/v1/opportunities', { seekerId: s.id, title, advertised: false, source: 'referral', referredById: pro.id, sourceInterviewId: iv.id, organizationId: org.id });
    };
    const query = `query ($n: Int) { people(first: $n) { nodes {
      opportunities(first: 5) { totalCount nodes { title seeker { fullName } referredBy { fullName } organization { name } sourceInterview { questions { template { text } } opportunities { totalCount } } } }
      opportunitiesReferred(first: 5) { nodes { id } }
      interviews(first: 5) { nodes { opportunities { nodes { title } } } }
    } } }`;
    const reads = async (n: number) => {
      statements.length = 0;
      const answer = await gql(query, { n });
      t.notOk(answer.errors, JSON.stringify(answer.errors));
      const found = (answer.data!.people.nodes as Json[]).flatMap((p) => p.opportunities.nodes);
      t.ok(found.every((o: Json) => o.sourceInterview.questions[0].template.text === template.text && o.sourceInterview.opportunities.totalCount === 2));
      return { statements: statements.filter((text) => /^\s*select/i.test(text) && !/set_config/.test(text)).length, opportunities: found.length };
    };
    for (let n = 0; n < 3; n++) await student(n);
    const few = await reads(4);
    for (let n = 3; n < 12; n++) await student(n);
    const many = await reads(13);
    t.ok(many.opportunities > few.opportunities, `trees ${trees}: more rows (${few.opportunities}, then ${many.opportunities} opportunities)`);
    t.equal(many.statements, few.statements, `trees ${trees}: the same statements (${few.statements})`);
  }
});

t.test('the demo tenant shows what a conversation led to: a cited question, a thank-you, a referral, an offer', async (t) => {
  const { seedDemoIfEmpty } = await import('../src/seed/demo.js');
  const { database } = await freshDatabase(t);
  const { app } = await buildTestApp(t, {}, database);
  const demo = await seedDemoIfEmpty(database.db);
  if (!demo) throw new Error('the demo was not seeded');
  t.equal(await seedDemoIfEmpty(database.db), null, 'only on an empty database');
  const gql = graphqlCaller<Json>(app, { authorization: `Bearer ${demo.apiKey}` });
  const answer = await gql(`{ opportunities { nodes { status advertised source seeker { fullName } referredBy { fullName } sourceInterview { thankYouSentAt questions { template { category } } } } } }`);
  t.notOk(answer.errors);
  t.same(answer.data?.opportunities.nodes, [
    {
      status: 'OFFERED',
      advertised: false,
      source: 'REFERRAL',
      seeker: { fullName: 'Ana Student' },
      referredBy: { fullName: 'Ben Engineer' },
      sourceInterview: { thankYouSentAt: answer.data?.opportunities.nodes[0]?.sourceInterview.thankYouSentAt, questions: [{ template: { category: 'ROLE_AND_DAY' } }] },
    },
  ]);
  t.ok(answer.data?.opportunities.nodes[0]?.sourceInterview.thankYouSentAt, 'the thank-you went out');
  const figures = await gql(`{ analytics { funnel { completedInterviews referrals opportunities offers accepted } thankYouRate { rate }
    followUpCompletion { numerator denominator } skillGrowth { skill requesters improved { rate } } hiddenMarket { offersNotAdvertised { rate } } } }`);
  t.same(figures.data?.analytics.funnel, { completedInterviews: 2, referrals: 1, opportunities: 1, offers: 1, accepted: 0 }, 'non-trivial figures');
  t.equal(figures.data?.analytics.thankYouRate.rate, 0.5);
  t.same(figures.data?.analytics.followUpCompletion, { numerator: 1, denominator: 2 });
  t.ok(figures.data?.analytics.skillGrowth.every((g: Json) => g.requesters === 1 && g.improved.rate === 1), 'Ana grew on every skill');
  t.equal(figures.data?.analytics.hiddenMarket.offersNotAdvertised.rate, 1);
});
