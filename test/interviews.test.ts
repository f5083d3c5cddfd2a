import t from 'tap';
import { and, eq, sql, TransactionRollbackError } from 'drizzle-orm';
import {
  careerStrategies,
  careerStrategyInterviews,
  interviewReferrals,
  interviews,
  interviewStatuses,
  organizations,
  people,
  relationships,
} from '../src/db/schema/index.js';
import { checkTransition, initialStatuses, interviewTransitions, type InterviewStatus } from '../src/modules/interviews/interview-status.js';
import { interviewFilters } from '../src/modules/interviews/interviews.repository.js';
import { InterviewListQuery } from '../src/modules/interviews/interviews.schemas.js';
import { rowsOf } from '../src/db/client.js';
import { buildTestApp, tenantWithKey } from './helpers/app.js';

// The state machine of domain.md, written out again here so a change to the code's table shows.
const EXPECTED: Record<InterviewStatus, InterviewStatus[]> = {
  planned: ['requested', 'scheduled', 'cancelled'],
  requested: ['scheduled', 'cancelled'],
  scheduled: ['scheduled', 'completed', 'cancelled', 'no_show'],
  completed: [],
  cancelled: ['planned'],
  no_show: ['planned', 'scheduled'],
};
const STARTS: InterviewStatus[] = ['planned', 'requested', 'scheduled', 'completed'];

t.test('interview status transitions (pure)', async (t) => {
  t.same(interviewTransitions, EXPECTED, 'the table is the one of domain.md');
  t.same(initialStatuses, STARTS);
  for (const from of interviewStatuses) {
    for (const to of interviewStatuses) {
      const result = checkTransition(from, to);
      if (from === to || EXPECTED[from].includes(to)) t.same(result, { ok: true }, `${from} -> ${to}`);
      else t.same(result, { ok: false, allowed: EXPECTED[from] }, `${from} -> ${to} refused`);
    }
    t.same(checkTransition(null, from), STARTS.includes(from) ? { ok: true } : { ok: false, allowed: STARTS }, `start as ${from}`);
  }
});

t.test('interviews over REST', async (t) => {
  const { app, database } = await buildTestApp(t);
  const owner = await tenantWithKey(database);
  const other = await tenantWithKey(database, 'Other');
  const db = database.db;
  const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown, auth = owner.auth) =>
    app.inject({ method, url, headers: auth, ...(payload === undefined ? {} : { payload: payload as object }) });

  const person = async (fullName: string, extra: Partial<typeof people.$inferInsert> = {}, tenantId = owner.tenant.id) =>
    (await db.insert(people).values({ tenantId, fullName, ...extra }).returning())[0]!;
  const organization = async (name: string, tenantId = owner.tenant.id) =>
    (await db.insert(organizations).values({ tenantId, name }).returning())[0]!;
  /** An interview put straight into a status, as the starting point of a transition. */
  const stored = async (status: InterviewStatus, requesterId: string, intervieweeId: string) =>
    (
      await db
        .insert(interviews)
        .values({
          tenantId: owner.tenant.id,
          requesterId,
          intervieweeId,
          status,
          scheduledAt: new Date('2026-05-01T09:00:00Z'),
          occurredAt: status === 'completed' ? new Date('2026-05-01T10:00:00Z') : null,
        })
        .returning()
    )[0]!;
  const paths = (res: { json(): { errors?: { path: string }[] } }) => (res.json().errors ?? []).map((e) => e.path);

  const student = await person('Sam Student', { roles: ['student'] });
  const pro = await person('Pat Professional', { roles: ['professional'] });
  const pro2 = await person('Quinn Engineer');
  const shy = await person('Dana Private', { doNotContact: true });
  const acme = await organization('Acme');
  const stranger = await person('Other Tenant Person', {}, other.tenant.id);
  const strangerOrg = await organization('Other Tenant Org', other.tenant.id);
  const missing = '00000000-0000-4000-8000-000000000000';
  const base = { requesterId: student.id, intervieweeId: pro.id };

  t.test('create, read, normalised shapes', async (t) => {
    const res = await call('POST', '/v1/interviews', {
      ...base,
      organizationId: acme.id,
      externalId: 'iv-1',
      status: 'scheduled',
      scheduledAt: '2026-11-26T10:30:00+01:00',
      durationMinutes: 30,
      format: 'video',
      location: ' Zoom ',
      goals: 'Learn how robotics teams hire',
      questions: [{ question: 'How did you start?' }, { question: 'What do you look for?', answer: '' }],
      insights: [{ text: 'Portfolios matter', category: 'advice' }, { text: 'Teams are small' }],
      followUps: [{ action: 'Send thanks', dueAt: '2026-11-27T09:00:00Z' }],
      skillRatings: {},
      tags: ['robotics', 'robotics'],
    });
    t.equal(res.statusCode, 201);
    const iv = res.json();
    t.match(iv, {
      externalId: 'iv-1',
      status: 'scheduled',
      scheduledAt: '2026-11-26T09:30:00.000Z',
      occurredAt: null,
      location: 'Zoom',
      organizationId: acme.id,
      referrals: [],
      skillRatings: null,
      tags: ['robotics'],
      version: 1,
    });
    t.same(iv.questions, [{ question: 'How did you start?' }, { question: 'What do you look for?' }], 'an empty answer is no answer');
    t.same(iv.insights, [{ text: 'Portfolios matter', category: 'advice' }, { text: 'Teams are small' }]);
    t.same(iv.followUps, [{ action: 'Send thanks', dueAt: '2026-11-27T09:00:00.000Z' }]);
    t.equal(res.headers.location, `/v1/interviews/${iv.id}`);
    t.equal(res.headers.etag, '"1"');
    const read = await call('GET', `/v1/interviews/${iv.id}`);
    t.same(read.json(), iv);
    t.equal((await call('GET', `/v1/interviews/${iv.id}`, undefined, other.auth)).statusCode, 404, "another tenant's interview is not there");
    const minimal = await call('POST', '/v1/interviews', base);
    t.equal(minimal.statusCode, 201);
    t.match(minimal.json(), { status: 'planned', questions: [], insights: [], followUps: [], referrals: [], tags: [], skillRatings: null });
    const same = await call('PATCH', `/v1/interviews/${iv.id}`, { location: 'Zoom', skillRatings: { confidence: null } });
    t.equal(same.json().version, 1, 'a patch that changes nothing keeps the version');
    const rated = await call('PATCH', `/v1/interviews/${iv.id}`, { skillRatings: { confidence: 3 } });
    t.match(rated.json(), { skillRatings: { confidence: 3 }, version: 2 });
  });

  t.test('strict input', async (t) => {
    const res = await call('POST', '/v1/interviews', { ...base, id: missing, tenantId: owner.tenant.id, version: 2, createdAt: '2026-01-01T00:00:00Z', colour: 'red' });
    t.equal(res.statusCode, 400);
    t.match(res.json(), { code: 'validation_failed' });
    for (const p of ['id', 'tenantId', 'version', 'createdAt', 'colour']) t.ok(paths(res).includes(p), `${p} is refused`);

    const tooMany = await call('POST', '/v1/interviews', { ...base, questions: Array.from({ length: 51 }, (_, i) => ({ question: `Q${i}` })) });
    t.equal(tooMany.statusCode, 400);
    t.same(paths(tooMany), ['questions']);
    t.equal((await call('POST', '/v1/interviews', { ...base, questions: Array.from({ length: 50 }, (_, i) => ({ question: `Q${i}` })) })).statusCode, 201, '50 questions are fine');

    const bad = await call('POST', '/v1/interviews', {
      ...base,
      skillRatings: { confidence: 6, communication: 2.5, charm: 4 },
      durationMinutes: 1441,
      format: 'carrier pigeon',
      status: 'done',
      questions: [{ question: '', hint: 'x' }],
      insights: [{ text: 'x', category: 'gossip' }],
      followUps: [{ action: 'Call', dueAt: 'tomorrow' }],
      referrals: [{ personId: 'nobody' }],
      notes: 'n'.repeat(20_001),
      goals: 'g'.repeat(5001),
      requesterId: 'me',
    });
    t.equal(bad.statusCode, 400);
    const got = paths(bad);
    for (const p of [
      'skillRatings.confidence',
      'skillRatings.communication',
      'skillRatings.charm',
      'durationMinutes',
      'format',
      'status',
      'questions.0.question',
      'questions.0.hint',
      'insights.0.category',
      'followUps.0.dueAt',
      'referrals.0.personId',
      'notes',
      'goals',
      'requesterId',
    ]) {
      t.ok(got.includes(p), `${p} is reported`);
    }
    t.equal((await call('POST', '/v1/interviews', { ...base, durationMinutes: 0 })).statusCode, 400);
    t.equal((await call('POST', '/v1/interviews', { ...base, skillRatings: { confidence: 5, communication: 1 } })).statusCode, 201);
    t.equal((await call('POST', '/v1/interviews', { requesterId: student.id })).statusCode, 400, 'intervieweeId is required');
    const iv = (await call('POST', '/v1/interviews', base)).json();
    t.same(paths(await call('PATCH', `/v1/interviews/${iv.id}`, { version: 7 })), ['version'], 'server-owned fields in a patch');
    t.same(paths(await call('PATCH', `/v1/interviews/${iv.id}`, { requesterId: null })), ['requesterId'], 'a required field cannot be cleared');
  });

  t.test('requester and interviewee are two people of the tenant', async (t) => {
    const self = await call('POST', '/v1/interviews', { requesterId: student.id, intervieweeId: student.id });
    t.equal(self.statusCode, 400);
    t.same(paths(self), ['intervieweeId']);
    const iv = (await call('POST', '/v1/interviews', base)).json();
    const selfPatch = await call('PATCH', `/v1/interviews/${iv.id}`, { intervieweeId: student.id });
    t.equal(selfPatch.statusCode, 400);
    t.same(paths(selfPatch), ['intervieweeId']);

    const absent = await call('POST', '/v1/interviews', { requesterId: missing, intervieweeId: missing, organizationId: missing, referrals: [{ personId: missing }] });
    const foreign = await call('POST', '/v1/interviews', {
      requesterId: stranger.id,
      intervieweeId: pro.id,
      organizationId: strangerOrg.id,
      referrals: [{ personId: stranger.id }],
    });
    t.equal(absent.statusCode, 400);
    t.equal(foreign.statusCode, 400);
    t.match(absent.json(), { code: 'validation_failed' });
    t.match(foreign.json(), { code: 'validation_failed' });
    t.ok(paths(absent).includes('intervieweeId'), 'both ends are checked');
    for (const p of ['requesterId', 'organizationId', 'referrals.0.personId']) {
      const a = absent.json().errors.find((e: { path: string }) => e.path === p);
      const f = foreign.json().errors.find((e: { path: string }) => e.path === p);
      t.ok(a && f, `${p} is reported for a missing and for another tenant's record`);
      t.equal(a?.message, f?.message, `${p}: another tenant's record reads as missing`);
    }
    t.notOk(paths(foreign).includes('intervieweeId'), 'only the bad references are reported');
    const foreignInterviewee = await call('PATCH', `/v1/interviews/${iv.id}`, { intervieweeId: stranger.id });
    t.equal(foreignInterviewee.statusCode, 400);
    t.same(paths(foreignInterviewee), ['intervieweeId']);
  });

  t.test('a new interview starts as planned, requested, scheduled or completed', async (t) => {
    for (const status of interviewStatuses) {
      const res = await call('POST', '/v1/interviews', { ...base, status, scheduledAt: '2026-06-01T09:00:00Z' });
      if (STARTS.includes(status)) {
        t.equal(res.statusCode, 201, `start as ${status}`);
        t.equal(res.json().status, status);
      } else {
        t.equal(res.statusCode, 409, `cannot start as ${status}`);
        t.match(res.json(), { code: 'invalid_transition', detail: new RegExp(status) });
        t.same(res.json().allowed, STARTS);
      }
    }
  });

  t.test('every transition of the state machine', async (t) => {
    for (const from of interviewStatuses) {
      for (const to of interviewStatuses) {
        const row = await stored(from, student.id, pro.id);
        const patch = to === 'scheduled' ? { status: to, scheduledAt: '2026-06-02T09:00:00Z' } : { status: to };
        const res = await call('PATCH', `/v1/interviews/${row.id}`, patch);
        if (from === to || EXPECTED[from].includes(to)) {
          t.equal(res.statusCode, 200, `${from} -> ${to}`);
          t.equal(res.json().status, to);
          if (to === 'scheduled') t.equal(res.json().scheduledAt, '2026-06-02T09:00:00.000Z', 'scheduled (or rescheduled) at the new time');
        } else {
          t.equal(res.statusCode, 409, `${from} -> ${to} is refused`);
          t.equal(res.json().code, 'invalid_transition');
          t.same(res.json().allowed, EXPECTED[from], `${from}: the allowed next states`);
          t.match(res.json().detail, new RegExp(`from ${from} to ${to}`));
          t.match((await call('GET', `/v1/interviews/${row.id}`)).json(), { status: from, version: 1 }, 'nothing was written');
        }
      }
    }
  });

  t.test('scheduledAt and occurredAt', async (t) => {
    const unscheduled = await call('POST', '/v1/interviews', { ...base, status: 'scheduled' });
    t.equal(unscheduled.statusCode, 400);
    t.same(paths(unscheduled), ['scheduledAt']);
    const planned = (await call('POST', '/v1/interviews', base)).json();
    const toScheduled = await call('PATCH', `/v1/interviews/${planned.id}`, { status: 'scheduled' });
    t.equal(toScheduled.statusCode, 400);
    t.same(paths(toScheduled), ['scheduledAt']);
    const scheduled = await call('PATCH', `/v1/interviews/${planned.id}`, { status: 'scheduled', scheduledAt: '2026-07-01T15:00:00Z' });
    t.equal(scheduled.statusCode, 200);
    const cleared = await call('PATCH', `/v1/interviews/${planned.id}`, { scheduledAt: null });
    t.equal(cleared.statusCode, 400, 'the same status must still keep its field rules');
    t.same(paths(cleared), ['scheduledAt']);

    const before = Date.now();
    const done = await call('PATCH', `/v1/interviews/${planned.id}`, { status: 'completed' });
    t.equal(done.statusCode, 200);
    const occurred = Date.parse(done.json().occurredAt);
    t.ok(occurred >= before - 1000 && occurred <= Date.now() + 1000, 'occurredAt defaults to now on completion');
    t.equal(done.json().scheduledAt, '2026-07-01T15:00:00.000Z');

    const logged = await call('POST', '/v1/interviews', { ...base, status: 'completed' });
    t.ok(Math.abs(Date.parse(logged.json().occurredAt) - Date.now()) < 5000, 'a completed interview logged without occurredAt happened now');
    const dated = await call('POST', '/v1/interviews', { ...base, status: 'completed', occurredAt: '2026-01-15T14:00:00-05:00' });
    t.equal(dated.json().occurredAt, '2026-01-15T19:00:00.000Z', 'a given occurredAt is kept');
    const scheduledToDone = await stored('scheduled', student.id, pro.id);
    const given = await call('PATCH', `/v1/interviews/${scheduledToDone.id}`, { status: 'completed', occurredAt: '2026-05-01T09:05:00Z' });
    t.equal(given.json().occurredAt, '2026-05-01T09:05:00.000Z');
  });

  t.test('doNotContact', async (t) => {
    for (const status of ['planned', 'completed']) {
      const res = await call('POST', '/v1/interviews', { requesterId: student.id, intervieweeId: shy.id, status });
      t.equal(res.statusCode, 409, `no new ${status} interview`);
      t.match(res.json(), { code: 'conflict' });
      t.same(paths(res), ['intervieweeId']);
    }
    t.equal((await call('POST', '/v1/interviews', { requesterId: shy.id, intervieweeId: pro.id })).statusCode, 201, 'the rule is about the interviewee');

    const optOut = await person('Opts Out Later');
    const fromCancelled = await stored('cancelled', student.id, optOut.id);
    const fromNoShow = await stored('no_show', student.id, optOut.id);
    const fromPlanned = await stored('planned', student.id, optOut.id);
    const scheduled = await stored('scheduled', student.id, optOut.id);
    const noShowToScheduled = await stored('no_show', student.id, optOut.id);
    await db.update(people).set({ doNotContact: true }).where(eq(people.id, optOut.id));
    for (const [row, to] of [
      [fromCancelled, 'planned'],
      [fromNoShow, 'planned'],
      [fromPlanned, 'requested'],
    ] as const) {
      const res = await call('PATCH', `/v1/interviews/${row.id}`, { status: to });
      t.equal(res.statusCode, 409, `${row.status} -> ${to} is refused`);
      t.match(res.json(), { code: 'conflict', errors: [{ path: 'intervieweeId' }] });
    }
    t.equal((await call('PATCH', `/v1/interviews/${fromPlanned.id}`, { notes: 'they said no' })).statusCode, 200, 'an existing plan stays editable');
    t.equal((await call('PATCH', `/v1/interviews/${fromPlanned.id}`, { status: 'cancelled' })).statusCode, 200, 'and can be cancelled');
    t.equal((await call('PATCH', `/v1/interviews/${scheduled.id}`, { status: 'completed' })).statusCode, 200, 'an agreed interview can still happen');
    t.equal((await call('PATCH', `/v1/interviews/${noShowToScheduled.id}`, { status: 'scheduled' })).statusCode, 200, 'only planned and requested are refused');

    const mine = (await call('POST', '/v1/interviews', base)).json();
    const swapped = await call('PATCH', `/v1/interviews/${mine.id}`, { intervieweeId: shy.id });
    t.equal(swapped.statusCode, 409, 'turning a plan towards them is a new approach too');
    t.same(paths(swapped), ['intervieweeId']);
  });

  t.test('referrals and the relationships they make sure of', async (t) => {
    const requester = await person('Riley Requester');
    const ref1 = await person('Referred One');
    const ref2 = await person('Referred Two');
    const known = await person('Already Known');
    const later = await person('Referred Later');
    await db.insert(relationships).values({ tenantId: owner.tenant.id, personId: requester.id, contactId: known.id, source: 'event' });
    const edges = () => db.select().from(relationships).where(eq(relationships.personId, requester.id));

    const res = await call('POST', '/v1/interviews', {
      requesterId: requester.id,
      intervieweeId: pro.id,
      referrals: [{ personId: ref1.id, note: 'Ask about the lab' }, { personId: ref2.id }, { personId: known.id, note: '' }],
    });
    t.equal(res.statusCode, 201);
    const iv = res.json();
    t.same(iv.referrals, [{ personId: ref1.id, note: 'Ask about the lab' }, { personId: ref2.id }, { personId: known.id }]);
    const rows = await db.select().from(interviewReferrals).where(eq(interviewReferrals.interviewId, iv.id)).orderBy(interviewReferrals.position);
    t.same(rows.map((r) => [r.position, r.personId]), [[0, ref1.id], [1, ref2.id], [2, known.id]], 'one row per referral, by position');

    const after = await edges();
    t.equal(after.length, 3);
    for (const contact of [ref1, ref2]) {
      t.match(after.find((e) => e.contactId === contact.id), { source: 'referral', introducedById: pro.id, version: 1 }, `${contact.fullName} is now known`);
    }
    t.match(after.find((e) => e.contactId === known.id), { source: 'event', introducedById: null, version: 1 }, 'an existing relationship is left alone');

    const again = await call('PATCH', `/v1/interviews/${iv.id}`, { notes: 'Great talk', referrals: [{ personId: ref2.id }, { personId: ref1.id }] });
    t.equal(again.statusCode, 200);
    t.same(again.json().referrals, [{ personId: ref2.id }, { personId: ref1.id }], 'the list is replaced');
    t.equal((await edges()).length, 3, 'a second write does not duplicate relationships');
    t.same(
      (await db.select().from(interviewReferrals).where(eq(interviewReferrals.interviewId, iv.id)).orderBy(interviewReferrals.position)).map((r) => r.personId),
      [ref2.id, ref1.id],
    );

    await db.delete(relationships).where(and(eq(relationships.personId, requester.id), eq(relationships.contactId, ref1.id)));
    await call('PATCH', `/v1/interviews/${iv.id}`, { notes: 'Even better on reflection' });
    t.notOk((await edges()).some((e) => e.contactId === ref1.id), 'a relationship removed on purpose is not brought back by an unrelated edit');
    const added = await call('PATCH', `/v1/interviews/${iv.id}`, { referrals: [{ personId: ref2.id }, { personId: ref1.id }, { personId: later.id }] });
    t.equal(added.statusCode, 200);
    t.match((await edges()).find((e) => e.contactId === later.id), { source: 'referral', introducedById: pro.id }, 'a referral added later makes its relationship');

    const listed = (await call('GET', `/v1/interviews?requesterId=${requester.id}`)).json();
    t.same(listed.data[0].referrals, added.json().referrals, 'a list presents the referrals too');

    const dupe = await call('POST', '/v1/interviews', { ...base, referrals: [{ personId: ref1.id }, { personId: ref1.id }] });
    t.equal(dupe.statusCode, 400);
    t.same(paths(dupe), ['referrals.1.personId']);
    const selfRef = await call('POST', '/v1/interviews', { ...base, referrals: [{ personId: ref1.id }, { personId: student.id }, { personId: pro.id }] });
    t.equal(selfRef.statusCode, 400);
    t.same(paths(selfRef), ['referrals.1.personId', 'referrals.2.personId'], 'neither the requester nor the interviewee');
    t.equal((await call('POST', '/v1/interviews', { ...base, referrals: Array.from({ length: 51 }, () => ({ personId: ref1.id })) })).statusCode, 400);
  });

  t.test('a completed interview', async (t) => {
    const org2 = await organization('Beta');
    const ref = await person('Completed Referral');
    const created = await call('PUT', '/v1/interviews/external/done-1', {
      ...base,
      status: 'completed',
      occurredAt: '2026-02-02T10:00:00Z',
      location: 'Cafe',
      referrals: [{ personId: ref.id }],
    });
    t.equal(created.statusCode, 201);
    const iv = created.json();
    const editable = {
      notes: 'Learned a lot',
      insights: [{ text: 'Values craft', category: 'value' }],
      followUps: [{ action: 'Read the book', doneAt: '2026-02-10T00:00:00Z' }],
      skillRatings: { confidence: 4, communication: 3, interviewing: 5 },
      thankYouSentAt: '2026-02-02T18:00:00Z',
      questions: [{ question: 'What next?', answer: 'Apply' }],
      tags: ['done'],
      goals: 'Understand the field',
    };
    let version = iv.version as number;
    for (const [field, value] of Object.entries(editable)) {
      const res = await call('PATCH', `/v1/interviews/${iv.id}`, { [field]: value });
      t.equal(res.statusCode, 200, `${field} stays editable`);
      t.equal(res.json().version, ++version);
    }
    const frozen = {
      requesterId: pro2.id,
      intervieweeId: pro2.id,
      organizationId: org2.id,
      scheduledAt: '2026-02-01T10:00:00Z',
      occurredAt: '2026-02-03T10:00:00Z',
      durationMinutes: 45,
      format: 'phone',
      location: 'Office',
      referrals: [],
      externalId: 'done-2',
    };
    for (const [field, value] of Object.entries(frozen)) {
      const res = await call('PATCH', `/v1/interviews/${iv.id}`, { [field]: value });
      t.equal(res.statusCode, 409, `${field} is final`);
      t.match(res.json(), { code: 'conflict', errors: [{ path: field }] });
    }
    const reopened = await call('PATCH', `/v1/interviews/${iv.id}`, { status: 'scheduled' });
    t.match(reopened.json(), { code: 'invalid_transition', allowed: [] }, 'the impossible move is reported before the missing scheduledAt');
    t.equal((await call('GET', `/v1/interviews/${iv.id}`)).json().version, version, 'nothing final was written');

    const keep = await call('PATCH', `/v1/interviews/${iv.id}`, { occurredAt: null, notes: 'Still editable' });
    t.equal(keep.statusCode, 200);
    t.equal(keep.json().occurredAt, '2026-02-02T10:00:00.000Z', 'a cleared occurredAt falls back to when it happened');
    const { id: _i, createdAt: _c, updatedAt: _u, version: _v, occurredAt: _o, ...representation } = keep.json();
    const put = await call('PUT', '/v1/interviews/external/done-1', representation);
    t.equal(put.statusCode, 200, 'a full representation without occurredAt is accepted');
    t.equal(put.json().occurredAt, '2026-02-02T10:00:00.000Z');
  });

  t.test('lists: every filter', async (t) => {
    const lists = await tenantWithKey(database, 'Lists');
    const tid = lists.tenant.id;
    const [a, b, c, d] = await Promise.all(['A', 'B', 'C', 'D'].map((n) => person(`List ${n}`, {}, tid)));
    const [o1, o2] = await Promise.all([organization('O1', tid), organization('O2', tid)]);
    const make = async (body: Record<string, unknown>) => {
      const res = await call('POST', '/v1/interviews', body, lists.auth);
      t.equal(res.statusCode, 201);
      return res.json().id as string;
    };
    const i1 = await make({ requesterId: a!.id, intervieweeId: b!.id, organizationId: o1!.id });
    const i2 = await make({ requesterId: a!.id, intervieweeId: c!.id, status: 'scheduled', scheduledAt: '2026-03-10T10:00:00Z' });
    const i3 = await make({ requesterId: b!.id, intervieweeId: c!.id, status: 'completed', scheduledAt: '2026-03-01T10:00:00Z', occurredAt: '2026-03-15T10:00:00Z' });
    const i4 = await make({ requesterId: a!.id, intervieweeId: d!.id, status: 'completed', occurredAt: '2026-04-01T00:00:00Z', organizationId: o2!.id });
    const i5 = await make({ requesterId: c!.id, intervieweeId: d!.id, status: 'scheduled', scheduledAt: '2026-02-01T10:00:00Z' });
    t.equal((await call('PATCH', `/v1/interviews/${i5}`, { status: 'cancelled' }, lists.auth)).statusCode, 200);

    const ids = async (query: string) => {
      const res = await call('GET', `/v1/interviews?${query}`, undefined, lists.auth);
      t.equal(res.statusCode, 200, query);
      return (res.json().data as { id: string }[]).map((i) => i.id);
    };
    const q = encodeURIComponent;
    t.same(await ids(''), [i1, i2, i3, i4, i5]);
    t.same(await ids('status=scheduled'), [i2]);
    t.same(await ids('status=completed'), [i3, i4]);
    t.same(await ids('status=cancelled'), [i5]);
    t.same(await ids(`requesterId=${a!.id}`), [i1, i2, i4]);
    t.same(await ids(`intervieweeId=${c!.id}`), [i2, i3]);
    t.same(await ids(`organizationId=${o1!.id}`), [i1]);
    t.same(await ids(`requesterId=${a!.id}&status=completed`), [i4]);
    t.same(await ids(`from=${q('2026-03-10T10:00:00Z')}`), [i2, i3, i4], 'from is inclusive; occurredAt wins over scheduledAt');
    t.same(await ids(`from=${q('2026-03-10T11:00:00+01:00')}`), [i2, i3, i4], 'offsets are honoured');
    t.same(await ids(`to=${q('2026-03-10T10:00:00Z')}`), [i2, i5], 'to is inclusive; a completed interview counts when it occurred');
    t.same(await ids(`from=${q('2026-03-01T00:00:00Z')}&to=${q('2026-03-31T23:59:59Z')}`), [i2, i3]);
    t.same(await ids(`from=${q('2026-03-10T10:00:00Z')}&to=${q('2026-03-10T10:00:00Z')}`), [i2], 'from = to is one instant');

    for (const bad of ['status=done', 'requesterId=me', 'intervieweeId=x', 'organizationId=1', 'from=yesterday', 'to=2026-13-01', 'colour=red']) {
      t.equal((await call('GET', `/v1/interviews?${bad}`, undefined, lists.auth)).statusCode, 400, bad);
    }
    const reversed = await call('GET', `/v1/interviews?from=${q('2026-04-01T00:00:00Z')}&to=${q('2026-03-01T00:00:00Z')}`, undefined, lists.auth);
    t.equal(reversed.statusCode, 400);
    t.same(paths(reversed), ['query.from']);
    t.same((await ids('limit=2')).length, 2);
    t.same((await call('GET', `/v1/interviews?requesterId=${a!.id}`)).json().data, [], "another tenant does not see this tenant's interviews");

    // from/to must reach interviews_when_idx: the filter is written with the indexed expression.
    // Enough of the tenant's interviews outside the range that the index is the planner's
    // clear choice (on a handful of rows every index of the tenant costs the same).
    let plan: Record<string, string>[] = [];
    await db
      .transaction(async (tx) => {
        await tx.execute(sql`
          insert into interviews (tenant_id, requester_id, interviewee_id, status, occurred_at)
          select ${tid}, ${a!.id}, ${b!.id}, 'completed', timestamptz '2025-01-01' + make_interval(hours => n) from generate_series(1, 2000) n`);
        await tx.execute(sql`analyze interviews`);
        await tx.execute(sql`set local enable_seqscan = off`);
        const query = InterviewListQuery.parse({ from: '2026-03-01T00:00:00Z', to: '2026-03-31T00:00:00Z' });
        const select = tx.select({ id: interviews.id }).from(interviews).where(and(eq(interviews.tenantId, tid), ...interviewFilters(query)));
        plan = rowsOf<Record<string, string>>(await tx.execute(sql`explain ${select.getSQL()}`));
        tx.rollback(); // the extra rows were only for the planner
      })
      .catch((err: unknown) => {
        if (!(err instanceof TransactionRollbackError)) throw err;
      });
    t.match(JSON.stringify(plan), /interviews_when_idx/, 'the from/to filter uses the index');
  });

  t.test('delete: 409 with dependents, cascade takes the citations along', async (t) => {
    const ref = await person('Deleted Referral');
    const iv = (await call('POST', '/v1/interviews', { ...base, referrals: [{ personId: ref.id }] })).json();
    const [strategy] = await db.insert(careerStrategies).values({ tenantId: owner.tenant.id, personId: student.id, status: 'draft' }).returning();
    await db.insert(careerStrategyInterviews).values({ tenantId: owner.tenant.id, strategyId: strategy!.id, interviewId: iv.id, position: 0 });

    const moved = await call('PATCH', `/v1/interviews/${iv.id}`, { requesterId: pro2.id });
    t.equal(moved.statusCode, 409, "a cited interview stays its requester's own");
    t.same(paths(moved), ['requesterId']);
    t.equal((await call('PATCH', `/v1/interviews/${iv.id}`, { intervieweeId: pro2.id })).statusCode, 200, 'other fields stay editable');
    const uncited = (await call('POST', '/v1/interviews', base)).json();
    t.equal((await call('PATCH', `/v1/interviews/${uncited.id}`, { requesterId: pro2.id })).statusCode, 200, 'an uncited interview may change hands');

    const refused = await call('DELETE', `/v1/interviews/${iv.id}`);
    t.equal(refused.statusCode, 409);
    t.match(refused.json(), { code: 'conflict', dependents: { careerStrategies: 1 } });
    t.equal((await call('GET', `/v1/interviews/${iv.id}`)).statusCode, 200, 'still there');

    t.equal((await call('DELETE', `/v1/interviews/${iv.id}?cascade=true`)).statusCode, 204);
    t.equal((await call('GET', `/v1/interviews/${iv.id}`)).statusCode, 404);
    t.same(await db.select().from(careerStrategyInterviews).where(eq(careerStrategyInterviews.interviewId, iv.id)), [], 'the citation is gone');
    t.same(await db.select().from(interviewReferrals).where(eq(interviewReferrals.interviewId, iv.id)), [], 'the referrals went with it');
    const [after] = await db.select().from(careerStrategies).where(eq(careerStrategies.id, strategy!.id));
    t.equal(after?.version, 2, 'the strategy changed: its version moved');
    t.ok(after!.updatedAt > strategy!.updatedAt);
    t.equal((await db.select().from(people).where(eq(people.id, ref.id))).length, 1, 'the referred person stays');

    const plain = (await call('POST', '/v1/interviews', { ...base, referrals: [{ personId: ref.id }] })).json();
    t.equal((await call('DELETE', `/v1/interviews/${plain.id}`)).statusCode, 204, 'referrals are no dependents');
    t.equal((await call('DELETE', `/v1/interviews/${plain.id}`)).statusCode, 404);
  });

  t.test('scopes: read cannot write', async (t) => {
    const reader = { authorization: `Bearer ${await owner.mintKey(['read'])}` };
    t.equal((await call('GET', '/v1/interviews', undefined, reader)).statusCode, 200);
    t.equal((await call('POST', '/v1/interviews', base, reader)).statusCode, 403);
  });
});

t.test('re-sending a completed interview without occurredAt changes nothing', async (t) => {
  const { app, database } = await buildTestApp(t);
  const owner = await tenantWithKey(database);
  const [a, b] = await database.db
    .insert(people)
    .values([
      { tenantId: owner.tenant.id, fullName: 'Asker' },
      { tenantId: owner.tenant.id, fullName: 'Answerer' },
    ])
    .returning();
  const body = { requesterId: a!.id, intervieweeId: b!.id, status: 'completed', notes: 'logged after the fact' };
  const put = () => app.inject({ method: 'PUT', url: '/v1/interviews/external/iv-77', headers: owner.auth, payload: body });
  const first = await put();
  t.equal(first.statusCode, 201);
  t.match(first.json(), { occurredAt: String, version: 1 });
  const again = await put();
  t.equal(again.statusCode, 200);
  t.equal(again.json().version, 1, 'the stored occurredAt stands in for the missing one: unchanged');
  t.equal(again.json().occurredAt, first.json().occurredAt);
});
