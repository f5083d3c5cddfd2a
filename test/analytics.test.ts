import t from 'tap';
import { interviewReferrals, interviews, opportunities, people, relationships } from '../src/db/schema/index.js';
import { prefersCsv } from '../src/modules/analytics/analytics.routes.js';
import { buildTestApp, restCaller, tenantWithKey } from './helpers/app.js';
import { graphqlCaller } from './helpers/graphql.js';

// Every figure of domain.md ("Analytics: the figures, defined") against a small tenant whose
// figures are worked out by hand below, record by record. Records are written straight to the
// tables so that their createdAt can be set; the rules are not what is tested here.

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const at = (iso: string) => new Date(iso);
const rate = (numerator: number, denominator: number) => ({ numerator, denominator, rate: denominator ? numerator / denominator : 0 });
const statuses = (counts: Record<string, number>) =>
  ['planned', 'requested', 'scheduled', 'completed', 'cancelled', 'no_show'].map((status) => ({ status, count: counts[status] ?? 0 }));
const histogram = (h0: number, h1: number, h2: number, h3: number, h6: number) =>
  [h0, h1, h2, h3, h6].map((requesters, i) => ({ bucket: ['0', '1', '2', '3-5', '6+'][i], requesters }));

t.test('Accept negotiation for the summary (pure)', async (t) => {
  t.equal(prefersCsv(undefined), false, 'no header: JSON');
  t.equal(prefersCsv('text/csv'), true);
  t.equal(prefersCsv('text/csv;q=0.5, application/json'), false);
  t.equal(prefersCsv('application/json;q=0.2, text/*'), true);
  t.equal(prefersCsv('*/*'), false, 'anything: JSON');
  t.equal(prefersCsv('text/csv;q=0'), false, 'refused');
  t.equal(prefersCsv('text/csv;q=abc'), false, 'a malformed q counts as 0');
  t.equal(prefersCsv('application/xml'), false, 'neither: JSON');
});

t.test('analytics: every figure of domain.md on a hand-built tenant', async (t) => {
  const { app, database } = await buildTestApp(t);
  const owner = await tenantWithKey(database, 'Analytics Center', { questionBank: false });
  const other = await tenantWithKey(database, 'Other', { questionBank: false });
  const call = restCaller(app, owner.auth);
  const gql = graphqlCaller<Json>(app, owner.auth);
  const db = database.db;
  const tenantId = owner.tenant.id;

  const person = async (fullName: string, extra: Partial<typeof people.$inferInsert> = {}) =>
    (await db.insert(people).values({ tenantId, fullName, ...extra }).returning())[0]!.id;
  const ana = await person('Ana', { program: 'CS', graduationYear: 2027, tags: ['first-gen'] });
  const bob = await person('Bob', { program: 'CS', graduationYear: 2028 });
  const cy = await person('Cy', { program: 'Bio', graduationYear: 2027 });
  const dee = await person('Dee');
  const pro1 = await person('Pro One');
  const pro2 = await person('Pro Two');
  const pro3 = await person('Pro Three');

  const interview = async (requesterId: string, intervieweeId: string, status: string, extra: Partial<typeof interviews.$inferInsert> = {}, referred: string[] = []) => {
    const [row] = await db
      .insert(interviews)
      .values({ tenantId, requesterId, intervieweeId, status: status as never, ...extra })
      .returning();
    if (referred.length) await db.insert(interviewReferrals).values(referred.map((personId, position) => ({ tenantId, interviewId: row!.id, position, personId })));
    return row!.id;
  };
  const done = { doneAt: '2026-02-02T00:00:00.000Z' };
  // Ana: three completed (thank-yous within, exactly at, and 1 ms past 24 h), one no-show, one at `to`.
  const i1 = await interview(ana, pro1, 'completed', { occurredAt: at('2026-02-01T10:00:00Z'), thankYouSentAt: at('2026-02-01T20:00:00Z'), followUps: [{ action: 'a', ...done }, { action: 'b' }], skillRatings: { confidence: 2, communication: 3 } }, [pro3]);
  const i2 = await interview(ana, pro2, 'completed', { occurredAt: at('2026-03-01T10:00:00Z'), thankYouSentAt: at('2026-03-02T10:00:00Z'), followUps: [{ action: 'c', ...done }], skillRatings: { confidence: 4, communication: 3 } });
  const i3 = await interview(ana, pro3, 'completed', { occurredAt: at('2026-04-01T10:00:00Z'), thankYouSentAt: at('2026-04-02T10:00:00.001Z'), skillRatings: { confidence: 3 } });
  await interview(ana, pro1, 'no_show', { scheduledAt: at('2026-05-01T09:00:00Z') });
  await interview(ana, pro2, 'scheduled', { scheduledAt: at('2026-07-01T00:00:00Z') });
  // Bob: two completed (no thank-you; one sent before it happened), one scheduled.
  await interview(bob, pro1, 'completed', { occurredAt: at('2026-02-15T10:00:00Z'), skillRatings: { confidence: 3, interviewing: 2 } }, [pro3]);
  await interview(bob, pro2, 'completed', { occurredAt: at('2026-03-15T10:00:00Z'), thankYouSentAt: at('2026-03-14T10:00:00Z'), skillRatings: { confidence: 5, interviewing: 2 } });
  await interview(bob, pro3, 'scheduled', { scheduledAt: at('2026-06-01T10:00:00Z') });
  // Cy: one completed rated once, one cancelled (its referral does not count), dated by createdAt.
  await interview(cy, pro1, 'completed', { occurredAt: at('2026-02-10T10:00:00Z'), thankYouSentAt: at('2026-02-10T12:00:00Z'), skillRatings: { communication: 2 } });
  await interview(cy, pro2, 'cancelled', { createdAt: at('2026-02-20T00:00:00Z') }, [pro3]);
  // Dee: one completed before the period, one planned dated by createdAt.
  await interview(dee, pro1, 'completed', { occurredAt: at('2025-12-31T23:59:59Z'), thankYouSentAt: at('2026-01-01T01:00:00Z') });
  await interview(dee, pro2, 'planned', { createdAt: at('2026-03-03T00:00:00Z') });

  const edge = (personId: string, contactId: string, createdAt: string, source: string | null) =>
    db.insert(relationships).values({ tenantId, personId, contactId, source: source as never, createdAt: at(createdAt) });
  await edge(ana, pro1, '2026-01-15T00:00:00Z', 'alumni_network');
  await edge(ana, pro3, '2026-02-01T12:00:00Z', 'referral');
  await edge(bob, pro3, '2026-02-20T00:00:00Z', 'referral');
  await edge(cy, pro2, '2026-02-25T00:00:00Z', 'referral');
  await edge(dee, pro1, '2025-12-15T00:00:00Z', 'event');
  await edge(bob, pro1, '2026-03-10T00:00:00Z', null);

  const opportunity = (seekerId: string, createdAt: string, status: string, advertised: boolean, source: string, extra: Partial<typeof opportunities.$inferInsert> = {}) =>
    db.insert(opportunities).values({ tenantId, seekerId, title: `${status} ${createdAt}`, createdAt: at(createdAt), status: status as never, advertised, source: source as never, ...extra });
  await opportunity(ana, '2026-02-05T00:00:00Z', 'offered', false, 'referral', { referredById: pro3, sourceInterviewId: i1 });
  await opportunity(ana, '2026-03-05T00:00:00Z', 'accepted', false, 'informational_interview', { sourceInterviewId: i2 });
  await opportunity(bob, '2026-03-20T00:00:00Z', 'declined', true, 'posting');
  await opportunity(bob, '2026-04-01T00:00:00Z', 'applied', false, 'network');
  await opportunity(cy, '2026-04-10T00:00:00Z', 'accepted', true, 'network');
  await opportunity(dee, '2025-11-01T00:00:00Z', 'accepted', false, 'referral', { referredById: pro1 });

  const PERIOD = 'from=2026-01-01T00:00:00Z&to=2026-07-01T00:00:00Z';
  const summary = async (query: string) => {
    const res = await call('GET', `/v1/analytics/summary?${query}`);
    t.equal(res.statusCode, 200, query, { body: res.body });
    return res.json() as Json;
  };

  t.test('the whole tenant over the period: each figure by hand', async (t) => {
    const s = await summary(PERIOD);
    // In the period: I1-I9 and Dee's plan (10); Dee's December interview and Ana's at `to` are out.
    t.same(s.interviewsByStatus, statuses({ completed: 6, no_show: 1, scheduled: 1, cancelled: 1, planned: 1 }));
    // Completed per requester: Ana 3, Bob 2, Cy 1, Dee 0: median (1 + 2) / 2.
    t.same(s.completedPerRequester, { requesters: 4, median: 1.5, histogram: histogram(1, 1, 1, 1, 0) });
    // Thank-yous: I1 within, I2 exactly at 24 h, Cy's within; I3 1 ms late, Bob's none and one early.
    t.same(s.thankYouRate, rate(3, 6));
    // Follow-ups of completed interviews: I1 one of two, I2 one of one.
    t.same(s.followUpCompletion, rate(2, 3));
    t.same(s.noShowRate, rate(1, 7));
    // Referrals on completed interviews: I1 and Bob's first; Cy's cancelled one does not count.
    t.same(s.referralsPerCompletedInterview, rate(2, 6));
    t.same(s.networkGrowth, [
      { month: '2026-01', source: 'alumni_network', count: 1 },
      { month: '2026-02', source: 'referral', count: 3 },
      { month: '2026-03', source: null, count: 1 },
    ]);
    // Confidence: Ana 2 then 3 (latest by occurredAt), Bob 3 then 5. Communication: Ana 3, 3;
    // Cy rated once (left out). Interviewing: Bob 2, 2.
    t.same(s.skillGrowth, [
      { skill: 'confidence', requesters: 2, meanFirst: 2.5, meanLatest: 4, improved: rate(2, 2) },
      { skill: 'communication', requesters: 1, meanFirst: 3, meanLatest: 3, improved: rate(0, 1) },
      { skill: 'interviewing', requesters: 1, meanFirst: 2, meanLatest: 2, improved: rate(0, 1) },
    ]);
    // Opportunities created in the period: five (Dee's of November is out); offers: offered,
    // accepted, declined, accepted; accepted: two.
    t.same(s.funnel, { completedInterviews: 6, referrals: 2, opportunities: 5, offers: 4, accepted: 2 });
    t.same(s.hiddenMarket, {
      offersNotAdvertised: rate(2, 4),
      offersThroughNetwork: rate(3, 4),
      acceptedNotAdvertised: rate(1, 2),
      acceptedThroughNetwork: rate(2, 2),
    });
  });

  t.test('a population: program CS (Ana and Bob)', async (t) => {
    const s = await summary(`${PERIOD}&program=CS`);
    t.same(s.interviewsByStatus, statuses({ completed: 5, no_show: 1, scheduled: 1 }));
    t.same(s.completedPerRequester, { requesters: 2, median: 2.5, histogram: histogram(0, 0, 1, 1, 0) });
    t.same(s.thankYouRate, rate(2, 5));
    t.same(s.followUpCompletion, rate(2, 3));
    t.same(s.noShowRate, rate(1, 6));
    t.same(s.referralsPerCompletedInterview, rate(2, 5));
    t.same(s.networkGrowth, [
      { month: '2026-01', source: 'alumni_network', count: 1 },
      { month: '2026-02', source: 'referral', count: 2 },
      { month: '2026-03', source: null, count: 1 },
    ]);
    t.same(s.funnel, { completedInterviews: 5, referrals: 2, opportunities: 4, offers: 3, accepted: 1 });
    t.same(s.hiddenMarket, { offersNotAdvertised: rate(2, 3), offersThroughNetwork: rate(2, 3), acceptedNotAdvertised: rate(1, 1), acceptedThroughNetwork: rate(1, 1) });
    // Filters hold together: 2027 and the tag leave Ana alone.
    const ana2027 = await summary(`${PERIOD}&graduationYear=2027&tag=first-gen`);
    t.same(ana2027.completedPerRequester, { requesters: 1, median: 3, histogram: histogram(0, 0, 0, 1, 0) });
    t.same(ana2027.funnel, { completedInterviews: 3, referrals: 1, opportunities: 2, offers: 2, accepted: 1 });
    // Dee has no program: a program filter never matches her.
    const noProgram = await summary(`program=${encodeURIComponent('')}x`);
    t.equal(noProgram.completedPerRequester.requesters, 0);
  });

  t.test('a period alone: [from, to)', async (t) => {
    // March: I2 (the 1st, 10:00), Bob's of the 15th, Dee's plan by createdAt; I3 on 1 April is out.
    const march = await summary('from=2026-03-01T00:00:00Z&to=2026-04-01T10:00:00Z');
    t.same(march.interviewsByStatus, statuses({ completed: 2, planned: 1 }));
    const all = await summary('');
    t.same(all.interviewsByStatus, statuses({ completed: 7, no_show: 1, scheduled: 2, cancelled: 1, planned: 1 }), 'no filter: everything');
    t.same(all.funnel.opportunities, 6);
  });

  t.test('an empty population and an empty tenant answer zeros', async (t) => {
    const zeros = {
      interviewsByStatus: statuses({}),
      completedPerRequester: { requesters: 0, median: 0, histogram: histogram(0, 0, 0, 0, 0) },
      thankYouRate: rate(0, 0),
      followUpCompletion: rate(0, 0),
      noShowRate: rate(0, 0),
      referralsPerCompletedInterview: rate(0, 0),
      networkGrowth: [],
      skillGrowth: ['confidence', 'communication', 'interviewing'].map((skill) => ({ skill, requesters: 0, meanFirst: 0, meanLatest: 0, improved: rate(0, 0) })),
      funnel: { completedInterviews: 0, referrals: 0, opportunities: 0, offers: 0, accepted: 0 },
      hiddenMarket: { offersNotAdvertised: rate(0, 0), offersThroughNetwork: rate(0, 0), acceptedNotAdvertised: rate(0, 0), acceptedThroughNetwork: rate(0, 0) },
    };
    t.same(await summary('program=Nope'), zeros);
    const empty = await restCaller(app, other.auth)('GET', '/v1/analytics/summary');
    t.same(empty.json(), zeros, "another tenant sees none of these records: zeros");
  });

  t.test('bad filters: 400 naming the field', async (t) => {
    for (const [query, path] of <[string, string][]>[
      ['from=yesterday', 'query.from'],
      ['to=2026-13-01T00:00:00Z', 'query.to'],
      ['from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'query.from'],
      ['graduationYear=20x7', 'query.graduationYear'],
      ['graduationYear=1800', 'query.graduationYear'],
      ['program=', 'query.program'],
      [`tag=${'x'.repeat(101)}`, 'query.tag'],
      ['cohort=2027', 'query'],
    ]) {
      const res = await call('GET', `/v1/analytics/summary?${query}`);
      t.equal(res.statusCode, 400, `${query}`);
      t.ok(res.json().errors.some((e: { path: string }) => e.path === path || e.path.startsWith(`${path}.`) || (path === 'query' && e.path.startsWith('query'))), `${query}: ${path}`, { errors: res.json().errors });
    }
    const graph = await gql('{ analytics(filter: { graduationYear: 1800, from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }) { funnel { offers } } }');
    t.equal(graph.errors?.[0]?.extensions.code, 'BAD_USER_INPUT');
    t.same(graph.errors?.[0]?.extensions.errors?.map((e: { path: string }) => e.path).sort(), ['filter.from', 'filter.graduationYear']);
  });

  t.test('GraphQL answers the same figures; CSV the same as a table', async (t) => {
    const rest = await summary(`${PERIOD}&program=CS`);
    const graph = await gql(`{ analytics(filter: { from: "2026-01-01T00:00:00Z", to: "2026-07-01T00:00:00Z", program: "CS" }) {
      interviewsByStatus { status count } completedPerRequester { requesters median histogram { bucket requesters } }
      thankYouRate { numerator denominator rate } followUpCompletion { numerator denominator rate } noShowRate { numerator denominator rate }
      referralsPerCompletedInterview { numerator denominator rate } networkGrowth { month source count }
      skillGrowth { skill requesters meanFirst meanLatest improved { numerator denominator rate } }
      funnel { completedInterviews referrals opportunities offers accepted }
      hiddenMarket { offersNotAdvertised { numerator denominator rate } offersThroughNetwork { numerator denominator rate } acceptedNotAdvertised { numerator denominator rate } acceptedThroughNetwork { numerator denominator rate } } } }`);
    t.notOk(graph.errors, JSON.stringify(graph.errors));
    const upper = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(upper)
        : value && typeof value === 'object'
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, ['status', 'source', 'skill'].includes(k) && typeof v === 'string' ? v.toUpperCase() : upper(v)]))
          : value;
    t.same(graph.data?.analytics, upper(rest), 'the same figures, enum values in UPPER_SNAKE');

    const csv = await call('GET', `/v1/analytics/summary?${PERIOD}&program=CS`, undefined, { accept: 'text/csv' });
    t.equal(csv.statusCode, 200);
    t.match(csv.headers['content-type'], /^text\/csv/);
    t.match(csv.headers.vary, /Accept/);
    const lines = csv.body.trimEnd().split('\r\n');
    t.equal(lines[0], 'figure,key,numerator,denominator,value');
    t.ok(lines.includes('thank_you_rate,,2,5,0.4'), 'a rate with its parts');
    t.ok(lines.includes('interviews_by_status,completed,,,5'));
    t.ok(lines.includes('network_growth,2026-03 (none),,,1'));
    t.ok(lines.includes('skill_growth,confidence improved,2,2,1'));
    t.ok(lines.includes('funnel,offers,,,3'));
    t.ok(lines.includes('hidden_market,offersNotAdvertised,2,3,0.6666666666666666'));
    t.equal(lines.length, 1 + 6 + 2 + 5 + 4 + 3 + 12 + 5 + 4, 'one row per figure, status, bucket, month and source, skill part, stage and share');
    t.equal((await call('GET', '/v1/analytics/summary?from=bad', undefined, { accept: 'text/csv' })).headers['content-type'], 'application/problem+json; charset=utf-8', 'errors stay problems');
  });

  t.test("a person's progress, REST and GraphQL", async (t) => {
    const strategy = (await call('POST', '/v1/career-strategies', { personId: ana, title: 'Biotech', status: 'active' })).json();
    await call('PATCH', `/v1/career-strategies/${strategy.id}`, { title: 'Biotech research' });
    const res = await call('GET', `/v1/people/${ana}/progress`);
    t.equal(res.statusCode, 200);
    const none = { confidence: null, communication: null, interviewing: null };
    t.same(res.json(), {
      personId: ana,
      interviewsByMonth: [
        { month: '2026-02', interviews: 1, completed: 1 },
        { month: '2026-03', interviews: 1, completed: 1 },
        { month: '2026-04', interviews: 1, completed: 1 },
        { month: '2026-05', interviews: 1, completed: 0 },
        { month: '2026-07', interviews: 1, completed: 0 },
      ],
      ratings: [
        { ...none, interviewId: i1, occurredAt: '2026-02-01T10:00:00.000Z', confidence: 2, communication: 3 },
        { ...none, interviewId: i2, occurredAt: '2026-03-01T10:00:00.000Z', confidence: 4, communication: 3 },
        { ...none, interviewId: i3, occurredAt: '2026-04-01T10:00:00.000Z', confidence: 3 },
      ],
      networkByMonth: [
        { month: '2026-01', added: 1, total: 1 },
        { month: '2026-02', added: 1, total: 2 },
      ],
      opportunitiesByStatus: ['identified', 'applied', 'interviewing', 'offered', 'accepted', 'declined', 'rejected', 'withdrawn', 'closed'].map((status) => ({
        status,
        count: status === 'offered' || status === 'accepted' ? 1 : 0,
      })),
      activeStrategy: { id: strategy.id, title: 'Biotech research', revisions: 1 },
    });
    const dees = (await call('GET', `/v1/people/${dee}/progress`)).json();
    t.match(dees, { ratings: [], networkByMonth: [{ month: '2025-12', added: 1, total: 1 }], activeStrategy: null });
    const graph = await gql(`{ people(first: 10) { nodes { fullName progress { interviewsByMonth { month completed } activeStrategy { revisions } opportunitiesByStatus { status count } } } } }`);
    t.notOk(graph.errors, JSON.stringify(graph.errors));
    const anaNode = graph.data?.people.nodes.find((n: Json) => n.fullName === 'Ana');
    t.equal(anaNode.progress.interviewsByMonth.length, 5);
    t.same(anaNode.progress.activeStrategy, { revisions: 1 });
    t.same(anaNode.progress.opportunitiesByStatus.find((c: Json) => c.status === 'ACCEPTED'), { status: 'ACCEPTED', count: 1 });
    t.equal(graph.data?.people.nodes.length, 7, "everyone's progress, in one statement for all of them");

    const foreign = await restCaller(app, other.auth)('GET', `/v1/people/${ana}/progress`);
    t.equal(foreign.statusCode, 404, "another tenant's person is not found");
    t.equal((await call('GET', '/v1/people/not-a-uuid/progress')).statusCode, 400);
    t.equal((await call('GET', '/v1/people/00000000-0000-4000-8000-000000000000/progress')).statusCode, 404);
  });

  t.test('GraphQL: the summary is dear in the cost bound', async (t) => {
    const three = await gql('{ a: analytics { funnel { offers } } b: analytics(filter: { program: "CS" }) { funnel { offers } } c: analytics(filter: { tag: "x" }) { funnel { offers } } }');
    t.notOk(three.errors, 'three summaries in one query');
    t.same([three.data?.a.funnel.offers, three.data?.b.funnel.offers, three.data?.c.funnel.offers], [5, 3, 0], 'no period: Dee\'s November offer counts too');
    const four = await gql('{ a: analytics { funnel { offers } } b: analytics { funnel { offers } } c: analytics { funnel { offers } } d: analytics { funnel { offers } } }');
    t.equal(four.errors?.[0]?.extensions.code, 'GRAPHQL_VALIDATION_FAILED', 'four are refused before any runs');
    t.match(four.errors?.[0]?.message, /costs 200\d\d/);
  });

  t.test('scope read', async (t) => {
    const writer = { authorization: `Bearer ${await owner.mintKey(['write'])}` };
    t.equal((await restCaller(app, writer)('GET', '/v1/analytics/summary')).statusCode, 403);
    t.equal((await restCaller(app, writer)('GET', `/v1/people/${ana}/progress`)).statusCode, 403);
    t.equal((await graphqlCaller<Json>(app, writer)('{ analytics { funnel { offers } } }')).errors?.[0]?.extensions.code, 'FORBIDDEN');
  });
});
