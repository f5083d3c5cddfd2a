import t from 'tap';
import { and, eq } from 'drizzle-orm';
import {
  careerStrategies,
  careerStrategyInterviews,
  careerStrategyRevisions,
  careerStrategyTargetOrganizations,
  interviews,
  organizations,
  people,
} from '../src/db/schema/index.js';
import { withTenant } from '../src/db/tenant-transaction.js';
import { reviseStrategiesBeforeChange } from '../src/modules/career-strategies/career-strategies.repository.js';
import { buildTestApp, restCaller, tenantWithKey } from './helpers/app.js';

interface FieldError {
  path: string;
  message: string;
}
interface Strategy {
  id: string;
  version: number;
  status: string;
  [key: string]: unknown;
}
interface Revision {
  revision: number;
  createdAt: string;
  snapshot: Strategy;
}

const MISSING = '00000000-0000-4000-8000-000000000000';

t.test('career strategies over REST', async (t) => {
  const { app, database } = await buildTestApp(t);
  const owner = await tenantWithKey(database);
  const other = await tenantWithKey(database, 'Other');
  const as = (auth: Record<string, string>) => restCaller(app, auth);
  const call = as(owner.auth);
  const errorsOf = (res: { json(): unknown }) => (res.json() as { errors: FieldError[] }).errors;

  // The records strategies refer to, written directly: their own modules are not under test here.
  const person = async (tenantId: string, fullName: string) =>
    (await database.db.insert(people).values({ tenantId, fullName }).returning())[0]!.id;
  const organization = async (tenantId: string, name: string) =>
    (await database.db.insert(organizations).values({ tenantId, name }).returning())[0]!.id;
  const interview = async (tenantId: string, requesterId: string, intervieweeId: string) =>
    (await database.db.insert(interviews).values({ tenantId, requesterId, intervieweeId, status: 'completed' }).returning())[0]!.id;

  const alice = await person(owner.tenant.id, 'Alice Student');
  const bob = await person(owner.tenant.id, 'Bob Professional');
  const acme = await organization(owner.tenant.id, 'Acme');
  const globex = await organization(owner.tenant.id, 'Globex');
  const aliceMeetsBob = await interview(owner.tenant.id, alice, bob);
  const aliceMeetsBobAgain = await interview(owner.tenant.id, alice, bob);
  const bobMeetsAlice = await interview(owner.tenant.id, bob, alice);
  const zed = await person(other.tenant.id, 'Zed Elsewhere');
  const zedsOrg = await organization(other.tenant.id, 'Elsewhere Inc');
  const zedsInterview = await interview(other.tenant.id, zed, await person(other.tenant.id, 'Yan Elsewhere'));

  const revisionsOf = async (id: string, query = '') => {
    const res = await call('GET', `/v1/career-strategies/${id}/revisions${query}`);
    t.equal(res.statusCode, 200, `revisions of ${id}`);
    return res.json() as { data: Revision[]; nextCursor: string | null };
  };
  const get = async (id: string) => (await call('GET', `/v1/career-strategies/${id}`)).json() as Strategy;

  const created = await call('POST', '/v1/career-strategies', {
    externalId: 'cs-1',
    personId: alice,
    title: ' Into robotics ',
    skills: ['python', ' python ', 'CAD'],
    values: ['autonomy'],
    talents: ['explaining'],
    interests: ['robots'],
    targetRoles: ['Robotics engineer'],
    targetIndustries: ['Robotics'],
    targetLocations: ['Lyon', 'Remote'],
    collaborators: ['small hardware teams'],
    workStyle: 'Hands-on, mostly on site',
    goals: [{ description: 'Three interviews by June', targetDate: '2027-06-30' }, { description: 'Learn ROS', status: 'done' }],
    targetOrganizationIds: [globex, acme],
    informedByInterviewIds: [aliceMeetsBobAgain, aliceMeetsBob],
  });
  t.equal(created.statusCode, 201);
  const plan = created.json() as Strategy;
  t.same(
    { ...plan, id: undefined, createdAt: undefined, updatedAt: undefined },
    {
      id: undefined,
      externalId: 'cs-1',
      personId: alice,
      title: 'Into robotics',
      status: 'draft',
      skills: ['python', 'CAD'],
      values: ['autonomy'],
      talents: ['explaining'],
      interests: ['robots'],
      targetRoles: ['Robotics engineer'],
      targetIndustries: ['Robotics'],
      targetLocations: ['Lyon', 'Remote'],
      collaborators: ['small hardware teams'],
      workStyle: 'Hands-on, mostly on site',
      goals: [
        { description: 'Three interviews by June', targetDate: '2027-06-30', status: 'open' },
        { description: 'Learn ROS', targetDate: null, status: 'done' },
      ],
      targetOrganizationIds: [globex, acme],
      informedByInterviewIds: [aliceMeetsBobAgain, aliceMeetsBob],
      createdAt: undefined,
      updatedAt: undefined,
      version: 1,
    },
    'defaults: status draft, goal status open, no target date; lists trimmed and deduplicated, references in order',
  );
  t.equal(created.headers.location, `/v1/career-strategies/${plan.id}`);
  t.equal(created.headers.etag, '"1"');

  t.test('the smallest strategy, and IDs in capitals', async (t) => {
    const res = await call('POST', '/v1/career-strategies', { personId: bob.toUpperCase() });
    t.equal(res.statusCode, 201);
    const s = res.json() as Strategy;
    t.match(s, { personId: bob, title: null, status: 'draft', skills: [], workStyle: null, goals: [], targetOrganizationIds: [], informedByInterviewIds: [], externalId: null });
    const same = await call('PATCH', `/v1/career-strategies/${s.id}`, { personId: bob.toUpperCase() });
    t.equal(same.json().version, 1, 'the same ID in capitals changes nothing');
    t.equal((await call('DELETE', `/v1/career-strategies/${s.id}`)).statusCode, 204);
  });

  t.test('strict input, every problem by path', async (t) => {
    const res = await call('POST', '/v1/career-strategies', {
      title: 'x'.repeat(201),
      status: 'dreaming',
      skills: Array.from({ length: 101 }, (_, i) => `s${i}`),
      values: ['y'.repeat(201)],
      workStyle: 'z'.repeat(5001),
      goals: [{ description: '' }, { description: 'ok', targetDate: '2027-02-30' }, { description: 'ok', status: 'maybe', colour: 'red' }],
      targetOrganizationIds: [acme, 'not-a-uuid', acme.toUpperCase()],
      informedByInterviewIds: [aliceMeetsBob, aliceMeetsBob],
      id: plan.id,
      version: 3,
      tenantId: owner.tenant.id,
    });
    t.equal(res.statusCode, 400);
    t.equal(res.json().code, 'validation_failed');
    const paths = errorsOf(res).map((e) => e.path);
    for (const p of [
      'personId',
      'title',
      'status',
      'skills',
      'values.0',
      'workStyle',
      'goals.0.description',
      'goals.1.targetDate',
      'goals.2.status',
      'goals.2.colour',
      'targetOrganizationIds.1',
      'informedByInterviewIds.1',
      'id',
      'version',
      'tenantId',
    ]) {
      t.ok(paths.includes(p), p);
    }
    t.same(errorsOf(res).find((e) => e.path === 'informedByInterviewIds.1'), { path: 'informedByInterviewIds.1', message: 'is listed twice' });
    const dup = await call('POST', '/v1/career-strategies', { personId: alice, targetOrganizationIds: [acme, globex, acme.toUpperCase()] });
    t.same(errorsOf(dup), [{ path: 'targetOrganizationIds.2', message: 'is listed twice' }], 'a repeat in capitals is still a repeat');
    const tooMany = await call('POST', '/v1/career-strategies', {
      personId: alice,
      goals: Array.from({ length: 51 }, (_, i) => ({ description: `g${i}` })),
      targetOrganizationIds: Array.from({ length: 51 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`),
    });
    t.same(errorsOf(tooMany).map((e) => e.path).sort(), ['goals', 'targetOrganizationIds'], 'at most 50 goals and 50 organizations');
    const tooManyInterviews = await call('POST', '/v1/career-strategies', {
      personId: alice,
      informedByInterviewIds: Array.from({ length: 101 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`),
    });
    t.same(errorsOf(tooManyInterviews).map((e) => e.path), ['informedByInterviewIds'], 'at most 100 interviews');
    t.equal((await call('POST', '/v1/career-strategies', { personId: alice, externalId: 'cs-1' })).statusCode, 409, 'externalId is unique');
  });

  t.test('references: the person', async (t) => {
    for (const [label, personId] of [
      ['missing', MISSING],
      ["another tenant's", zed],
    ] as const) {
      const res = await call('POST', '/v1/career-strategies', { personId });
      t.equal(res.statusCode, 400, label);
      t.equal(res.json().code, 'validation_failed');
      t.same(errorsOf(res), [{ path: 'personId', message: 'no person with this id' }], `${label}: the same answer`);
    }
    const moved = await call('PATCH', `/v1/career-strategies/${plan.id}`, { personId: zed, informedByInterviewIds: [] });
    t.same(errorsOf(moved), [{ path: 'personId', message: 'no person with this id' }], 'on update too');
  });

  t.test('references: target organizations', async (t) => {
    const res = await call('POST', '/v1/career-strategies', { personId: alice, targetOrganizationIds: [acme, MISSING, globex, zedsOrg] });
    t.equal(res.statusCode, 400);
    t.same(errorsOf(res), [
      { path: 'targetOrganizationIds.1', message: 'no organization with this id' },
      { path: 'targetOrganizationIds.3', message: 'no organization with this id' },
    ]);
    const patched = await call('PATCH', `/v1/career-strategies/${plan.id}`, { targetOrganizationIds: [zedsOrg] });
    t.same(errorsOf(patched), [{ path: 'targetOrganizationIds.0', message: 'no organization with this id' }]);
    t.equal((await get(plan.id)).version, 1, 'nothing written');
  });

  t.test("references: only the requester's own interviews", async (t) => {
    const res = await call('POST', '/v1/career-strategies', {
      personId: alice,
      informedByInterviewIds: [aliceMeetsBob, MISSING, zedsInterview, bobMeetsAlice],
    });
    t.equal(res.statusCode, 400);
    t.same(errorsOf(res), [
      { path: 'informedByInterviewIds.1', message: 'no interview with this id' },
      { path: 'informedByInterviewIds.2', message: 'no interview with this id' },
      { path: 'informedByInterviewIds.3', message: "is not one of this person's own interviews" },
    ]);
    const forBob = await call('POST', '/v1/career-strategies', { personId: bob, informedByInterviewIds: [bobMeetsAlice] });
    t.equal(forBob.statusCode, 201, "bob's own interview is fine for bob");
    t.equal((await call('DELETE', `/v1/career-strategies/${forBob.json().id}`)).statusCode, 204);
    const moved = await call('PATCH', `/v1/career-strategies/${plan.id}`, { personId: bob });
    t.equal(moved.statusCode, 400, "another person cannot keep alice's interviews");
    t.same(errorsOf(moved), [
      { path: 'informedByInterviewIds.0', message: "is not one of this person's own interviews" },
      { path: 'informedByInterviewIds.1', message: "is not one of this person's own interviews" },
    ]);
    const all = await call('POST', '/v1/career-strategies', { personId: MISSING, targetOrganizationIds: [MISSING], informedByInterviewIds: [aliceMeetsBob] });
    t.same(
      errorsOf(all).map((e) => e.path),
      ['personId', 'targetOrganizationIds.0', 'informedByInterviewIds.0'],
      'every reference problem at once',
    );
  });

  t.test('read with ETag, 304, and tenancy', async (t) => {
    const res = await call('GET', `/v1/career-strategies/${plan.id}`);
    t.equal(res.statusCode, 200);
    t.same(res.json(), plan);
    t.equal(res.headers.etag, '"1"');
    t.equal((await call('GET', `/v1/career-strategies/${plan.id}`, undefined, { 'if-none-match': '"1"' })).statusCode, 304);
    t.equal((await call('GET', `/v1/career-strategies/${MISSING}`)).statusCode, 404);
    const stranger = as(other.auth);
    t.equal((await stranger('GET', `/v1/career-strategies/${plan.id}`)).statusCode, 404, "another tenant's strategy does not exist for them");
    t.equal((await stranger('PATCH', `/v1/career-strategies/${plan.id}`, { title: 'x' })).statusCode, 404);
    t.equal((await stranger('DELETE', `/v1/career-strategies/${plan.id}`)).statusCode, 404);
    t.same((await stranger('GET', '/v1/career-strategies')).json(), { data: [], nextCursor: null });
  });

  t.test('list references in position order, whatever order the rows were written in', async (t) => {
    // Swap the stored positions: the answer must follow them, not the physical row order.
    const where = (orgId: string) =>
      and(eq(careerStrategyTargetOrganizations.strategyId, plan.id), eq(careerStrategyTargetOrganizations.organizationId, orgId));
    await database.db.update(careerStrategyTargetOrganizations).set({ position: 5 }).where(where(globex));
    t.same((await get(plan.id)).targetOrganizationIds, [acme, globex]);
    await database.db.update(careerStrategyTargetOrganizations).set({ position: 0 }).where(where(globex));
    t.same((await get(plan.id)).targetOrganizationIds, [globex, acme]);
  });

  t.test('changes keep the earlier states as revisions', async (t) => {
    const s = (await call('POST', '/v1/career-strategies', { personId: alice, title: 'v1', skills: ['a'] })).json() as Strategy;
    t.same(await revisionsOf(s.id), { data: [], nextCursor: null }, 'a new strategy has no earlier state');
    const v2 = await call('PATCH', `/v1/career-strategies/${s.id}`, JSON.stringify({ title: 'v2', skills: null, targetOrganizationIds: [acme] }), {
      'content-type': 'application/merge-patch+json',
      'if-match': '"1"',
    });
    t.equal(v2.statusCode, 200);
    t.match(v2.json(), { title: 'v2', skills: [], targetOrganizationIds: [acme], version: 2 });
    t.equal(v2.headers.etag, '"2"');
    const noop = await call('PATCH', `/v1/career-strategies/${s.id}`, { title: 'v2', targetOrganizationIds: [acme] });
    t.equal(noop.json().version, 2, 'a patch that changes nothing keeps the version');
    t.equal((await revisionsOf(s.id)).data.length, 1, '... and writes no revision');
    const v3 = (await call('PATCH', `/v1/career-strategies/${s.id}`, { goals: [{ description: 'Ship it' }], informedByInterviewIds: [aliceMeetsBob] })).json() as Strategy;
    t.equal(v3.version, 3);
    const stale = await call('PATCH', `/v1/career-strategies/${s.id}`, { title: 'late' }, { 'if-match': '"2"' });
    t.equal(stale.statusCode, 412);

    const history = await revisionsOf(s.id);
    t.same(
      history.data.map((r) => r.revision),
      [1, 2],
      'one revision per change, numbered by the version it had, oldest first',
    );
    t.same(history.data[0]!.snapshot, s, 'revision 1 is the strategy as created');
    t.same(history.data[1]!.snapshot, v2.json(), 'revision 2 is the strategy as the first patch left it');
    t.ok(history.data.every((r) => !Number.isNaN(Date.parse(r.createdAt))), 'each has a time');
    t.ok(Date.parse(history.data[0]!.createdAt) <= Date.parse(history.data[1]!.createdAt), 'in time order');
    t.same(await get(s.id), v3, 'the current state is the strategy itself, not a revision');

    t.test('pagination', async (t) => {
      for (const title of ['v4', 'v5', 'v6']) t.equal((await call('PATCH', `/v1/career-strategies/${s.id}`, { title })).statusCode, 200);
      const seen: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: { data: Revision[]; nextCursor: string | null } = await revisionsOf(s.id, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        t.ok(page.data.length <= 2);
        seen.push(...page.data.map((r) => r.revision));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      t.same(seen, [1, 2, 3, 4, 5], 'every revision once, in order');
      t.equal(pages, 3);
      t.equal((await revisionsOf(s.id, '?limit=5')).nextCursor, null, 'an exact last page has no next cursor');
      t.equal((await call('GET', `/v1/career-strategies/${s.id}/revisions?cursor=garbage`)).statusCode, 400);
      t.same(errorsOf(await call('GET', `/v1/career-strategies/${s.id}/revisions?cursor=${Buffer.from('[-1]').toString('base64url')}`)), [
        { path: 'query.cursor', message: 'is not a valid cursor' },
      ]);
      t.equal((await call('GET', `/v1/career-strategies/${s.id}/revisions?limit=101`)).statusCode, 400);
      t.equal((await call('GET', `/v1/career-strategies/${s.id}/revisions?colour=red`)).statusCode, 400);
    });

    t.test('revisions: tenancy, existence, scope', async (t) => {
      t.equal((await as(other.auth)('GET', `/v1/career-strategies/${s.id}/revisions`)).statusCode, 404, "another tenant's strategy");
      const missing = await call('GET', `/v1/career-strategies/${MISSING}/revisions`);
      t.equal(missing.statusCode, 404);
      t.equal(missing.json().code, 'not_found');
      t.equal((await call('GET', '/v1/career-strategies/not-a-uuid/revisions')).statusCode, 400);
      const writer = { authorization: `Bearer ${await owner.mintKey(['write'])}` };
      t.equal((await as(writer)('GET', `/v1/career-strategies/${s.id}/revisions`)).statusCode, 403, 'reading needs read');
      const reader = { authorization: `Bearer ${await owner.mintKey(['read'])}` };
      t.equal((await as(reader)('GET', `/v1/career-strategies/${s.id}/revisions`)).statusCode, 200);
      t.equal((await app.inject({ method: 'GET', url: `/v1/career-strategies/${s.id}/revisions` })).statusCode, 401);
    });
  });

  t.test('at most one active strategy per person', async (t) => {
    const carol = await person(owner.tenant.id, 'Carol Alumna');
    const dave = await person(owner.tenant.id, 'Dave Alumnus');
    const activeRows = async (personId: string) =>
      (await database.db.select().from(careerStrategies).where(and(eq(careerStrategies.personId, personId), eq(careerStrategies.status, 'active')))).map((r) => r.id);

    const first = (await call('POST', '/v1/career-strategies', { personId: carol, title: 'First', status: 'active' })).json() as Strategy;
    const daves = (await call('POST', '/v1/career-strategies', { personId: dave, status: 'active' })).json() as Strategy;
    t.equal(first.status, 'active');

    const second = await call('POST', '/v1/career-strategies', { personId: carol, title: 'Second', status: 'active' });
    t.equal(second.statusCode, 201, 'creating an active one while another is active');
    const secondId = (second.json() as Strategy).id;
    const archived = await get(first.id);
    t.match(archived, { status: 'archived', version: 2, title: 'First' }, 'the one that was active is archived, as a change');
    t.ok(Date.parse(archived.updatedAt as string) > Date.parse(first.updatedAt as string), 'its updatedAt moved');
    t.same((await revisionsOf(first.id)).data.map((r) => [r.revision, r.snapshot]), [[1, first]], 'with a revision of its active state');
    t.same(await activeRows(carol), [secondId]);
    t.same(await get(daves.id), daves, "another person's active strategy is untouched");

    const draft = (await call('POST', '/v1/career-strategies', { personId: carol, title: 'Third' })).json() as Strategy;
    t.equal((await get(secondId)).status, 'active', 'a draft archives nothing');
    const activated = await call('PATCH', `/v1/career-strategies/${draft.id}`, { status: 'active' });
    t.match(activated.json(), { status: 'active', version: 2 });
    const secondNow = await get(secondId);
    t.match(secondNow, { status: 'archived', version: 2 }, 'activating on update archives the active one');
    t.same((await revisionsOf(secondId)).data.map((r) => r.snapshot.status), ['active']);
    t.same((await revisionsOf(draft.id)).data.map((r) => r.snapshot.status), ['draft'], 'the activated one keeps its draft state too');
    t.same(await activeRows(carol), [draft.id]);

    const again = await call('PATCH', `/v1/career-strategies/${draft.id}`, { title: 'Third, refined', status: 'active' });
    t.match(again.json(), { status: 'active', version: 3 }, 'changing the active one itself archives nothing');
    t.equal((await get(secondId)).version, 2);

    const movedOver = await call('PATCH', `/v1/career-strategies/${daves.id}`, { personId: carol, informedByInterviewIds: [] });
    t.equal(movedOver.statusCode, 200, "moving an active strategy to another person archives that person's active one");
    t.equal((await get(draft.id)).status, 'archived');
    t.same(await activeRows(carol), [daves.id]);

    const upserted = await call('PUT', '/v1/career-strategies/external/carol-next', { personId: carol, status: 'active' });
    t.equal(upserted.statusCode, 201, 'an upsert that creates an active one');
    t.equal((await get(daves.id)).status, 'archived');
    t.same(await activeRows(carol), [(upserted.json() as Strategy).id]);

    // Concurrent activations: each either archives the other or meets the index (409 on status).
    const erin = await person(owner.tenant.id, 'Erin Student');
    const racers = await Promise.all(Array.from({ length: 4 }, (_, i) => call('POST', '/v1/career-strategies', { personId: erin, title: `Race ${i}`, status: 'active' })));
    t.ok(racers.some((r) => r.statusCode === 201), 'at least one wins');
    for (const r of racers.filter((r) => r.statusCode !== 201)) {
      t.equal(r.statusCode, 409);
      t.same(errorsOf(r), [{ path: 'status', message: 'is already taken' }]);
    }
    t.equal((await activeRows(erin)).length, 1, 'never two active');
  });

  t.test('upsert by external ID', async (t) => {
    const body = { personId: bob, title: 'Mentoring plan', values: ['giving back'], goals: [{ description: 'Mentor two students', targetDate: '2027-01-15' }] };
    const first = await call('PUT', '/v1/career-strategies/external/bob-plan', body);
    t.equal(first.statusCode, 201);
    t.match(first.headers.location, /^\/v1\/career-strategies\/[0-9a-f-]{36}$/);
    const id = (first.json() as Strategy).id;
    const again = await call('PUT', '/v1/career-strategies/external/bob-plan', body);
    t.equal(again.statusCode, 200);
    t.equal(again.json().version, 1, 'the same representation changes nothing');
    t.same((await revisionsOf(id)).data, [], '... and keeps no revision');
    const replaced = await call('PUT', '/v1/career-strategies/external/bob-plan', { personId: bob, title: 'Mentoring plan' });
    t.match(replaced.json(), { values: [], goals: [], status: 'draft', version: 2 }, 'left-out fields are cleared');
    t.same((await revisionsOf(id)).data.map((r) => r.snapshot), [first.json()]);
  });

  t.test('list filters', async (t) => {
    const frank = await person(owner.tenant.id, 'Frank Student');
    const mine = [
      (await call('POST', '/v1/career-strategies', { personId: frank, status: 'archived', targetOrganizationIds: [acme] })).json() as Strategy,
      (await call('POST', '/v1/career-strategies', { personId: frank, status: 'active', targetOrganizationIds: [globex, acme] })).json() as Strategy,
      (await call('POST', '/v1/career-strategies', { personId: frank })).json() as Strategy,
    ];
    const list = async (query: string) => {
      const res = await call('GET', `/v1/career-strategies?${query}`);
      t.equal(res.statusCode, 200, query);
      return res.json() as { data: Strategy[]; nextCursor: string | null };
    };
    const byPerson = await list(`personId=${frank}`);
    t.same(byPerson.data, mine, "a person's strategies, each with its own references");
    t.same((await list(`personId=${frank}&status=active`)).data.map((s) => s.id), [mine[1]!.id]);
    t.same((await list(`personId=${frank}&status=draft`)).data.map((s) => s.id), [mine[2]!.id]);
    const active = (await list('status=active&limit=100')).data;
    t.ok(active.length > 1 && active.every((s) => s.status === 'active'), 'status alone');
    const paged = await list(`personId=${frank}&limit=2`);
    t.equal(paged.data.length, 2);
    t.same((await list(`personId=${frank}&limit=2&cursor=${paged.nextCursor}`)).data.map((s) => s.id), [mine[2]!.id]);
    t.same((await list('externalId=cs-1')).data.map((s) => s.id), [plan.id]);
    t.equal((await call('GET', '/v1/career-strategies?status=dreaming')).statusCode, 400);
    t.equal((await call('GET', '/v1/career-strategies?personId=nobody')).statusCode, 400);
    t.equal((await call('GET', '/v1/career-strategies?colour=red')).statusCode, 400);
  });

  t.test('delete: nothing depends on a strategy; its history and lists go with it', async (t) => {
    const s = (await call('POST', '/v1/career-strategies', { personId: alice, targetOrganizationIds: [acme], informedByInterviewIds: [aliceMeetsBob] })).json() as Strategy;
    t.equal((await call('PATCH', `/v1/career-strategies/${s.id}`, { title: 'changed' })).statusCode, 200);
    const countFor = async (table: typeof careerStrategyRevisions | typeof careerStrategyInterviews | typeof careerStrategyTargetOrganizations) =>
      (await database.db.select().from(table).where(eq(table.strategyId, s.id))).length;
    t.same([await countFor(careerStrategyRevisions), await countFor(careerStrategyInterviews), await countFor(careerStrategyTargetOrganizations)], [1, 1, 1]);
    t.equal((await call('DELETE', `/v1/career-strategies/${s.id}`)).statusCode, 204);
    t.same([await countFor(careerStrategyRevisions), await countFor(careerStrategyInterviews), await countFor(careerStrategyTargetOrganizations)], [0, 0, 0]);
    t.equal((await call('GET', `/v1/career-strategies/${s.id}`)).statusCode, 404);
    t.equal((await call('GET', `/v1/career-strategies/${s.id}/revisions`)).statusCode, 404);
    t.equal((await call('DELETE', `/v1/career-strategies/${s.id}`)).statusCode, 404);
    const cascaded = (await call('POST', '/v1/career-strategies', { personId: alice })).json() as Strategy;
    t.equal((await call('DELETE', `/v1/career-strategies/${cascaded.id}?cascade=true`)).statusCode, 204, 'cascade=true has nothing more to do');
    t.equal((await call('GET', `/v1/career-strategies/${cascaded.id}`)).statusCode, 404);
  });

  t.test("other modules' changes behind the service keep a revision too", async (t) => {
    const a = (await call('POST', '/v1/career-strategies', { personId: alice, informedByInterviewIds: [aliceMeetsBob] })).json() as Strategy;
    const b = (await call('POST', '/v1/career-strategies', { personId: bob, title: 'b' })).json() as Strategy;
    await withTenant(database.db, owner.tenant.id, (tx) => reviseStrategiesBeforeChange(tx, owner.tenant.id, [a.id, a.id, MISSING]));
    await withTenant(database.db, owner.tenant.id, (tx) => reviseStrategiesBeforeChange(tx, owner.tenant.id, []));
    t.same((await revisionsOf(a.id)).data.map((r) => [r.revision, r.snapshot]), [[1, a]], 'the state before the change, once');
    t.match(await get(a.id), { version: 2, informedByInterviewIds: [aliceMeetsBob] });
    t.same(await get(b.id), b, 'others untouched');
    await withTenant(database.db, other.tenant.id, (tx) => reviseStrategiesBeforeChange(tx, other.tenant.id, [b.id]));
    t.same(await get(b.id), b, "another tenant's strategy is out of reach");
  });

  t.test('scopes: read cannot write', async (t) => {
    const reader = as({ authorization: `Bearer ${await owner.mintKey(['read'])}` });
    t.equal((await reader('GET', '/v1/career-strategies')).statusCode, 200);
    t.equal((await reader('POST', '/v1/career-strategies', { personId: alice })).statusCode, 403);
    t.equal((await reader('PATCH', `/v1/career-strategies/${plan.id}`, { title: 'x' })).statusCode, 403);
    t.equal((await reader('DELETE', `/v1/career-strategies/${plan.id}`)).statusCode, 403);
  });
});
