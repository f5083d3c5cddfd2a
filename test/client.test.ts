// The contract from a consumer's side: the app listens on a real port and a client generated
// from openapi.yaml (openapi-typescript types, openapi-fetch, Node's fetch) drives a whole
// scenario. Every request body, path parameter and query is checked by the generated types at
// type-check time (`npm run typecheck`); at run time every status the server gives must be one
// the contract lists for that operation.
//
// Bodies also say `satisfies Schemas[...]`: not a cast, a check. openapi-fetch infers its init
// object generically and so rejects missing or mistyped members but lets unknown ones through
// (openapi-ts/openapi-typescript#2329); `satisfies` restores the excess-property check.
import t from 'tap';
import { readFileSync } from 'node:fs';
import createClient, { type Middleware } from 'openapi-fetch';
import { parse } from 'yaml';
import type { components, paths } from './client/openapi.gen.js';
import { buildTestApp, tenantWithKey } from './helpers/app.js';

type Schemas = components['schemas'];

/**
 * True only when A and B are the same type. Mere assignability would let `any` through; this
 * does not, so `exact<typeof x, T>()` proves the generated types really narrow.
 */
type Exactly<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const exact = <A, B>(..._proof: Exactly<A, B> extends true ? [] : [never]): void => undefined;

/** The operations of openapi.yaml, read as a consumer would: path → method → documented responses. */
const contract = parse(readFileSync(new URL('../openapi.yaml', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
};

interface Exchange {
  method: string;
  schemaPath: string;
  status: number;
  mediaType: string | null;
  body: string;
}

/** openapi-fetch's answers: `data` on 2xx, `error` otherwise, and the raw Response. */
interface Answer<D, E> {
  data?: D;
  error?: E;
  response: Response;
}

t.test('a typed client drives the contract end to end', async (t) => {
  const { app, database } = await buildTestApp(t);
  const owner = await tenantWithKey(database);
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });

  const exchanges: Exchange[] = [];
  const recorder: Middleware = {
    async onResponse({ request, schemaPath, response }) {
      const mediaType = response.headers.get('content-type')?.split(';')[0]?.trim() ?? null;
      const body = await response.clone().text();
      exchanges.push({ method: request.method.toLowerCase(), schemaPath, status: response.status, mediaType, body });
    },
  };
  const client = createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${owner.key}` } });
  client.use(recorder);

  /** Asserts the status and hands back the typed success body. */
  const ok = <D, E>(answer: Answer<D, E>, status: number, what: string): D => {
    t.equal(answer.response.status, status, `${what}: ${status}`);
    if (answer.data === undefined) throw new Error(`${what}: no body (${answer.response.status} ${JSON.stringify(answer.error)})`);
    return answer.data;
  };
  /** Asserts the status and hands back the typed problem body. */
  const fails = <D, E>(answer: Answer<D, E>, status: number, what: string): E => {
    t.equal(answer.response.status, status, `${what}: ${status}`);
    if (answer.error === undefined) throw new Error(`${what}: expected a problem, got ${answer.response.status}`);
    return answer.error;
  };
  const etagOf = (answer: { response: Response }): string => {
    const etag = answer.response.headers.get('etag');
    if (etag === null) throw new Error('no ETag');
    return etag;
  };

  // 1. An organization.
  const orgAnswer = await client.POST('/v1/organizations', {
    body: { name: 'Acme Robotics', industry: 'Robotics', size: '201-1000', tags: ['partner'] } satisfies Schemas['CreateOrganizationInput'],
  });
  const org = ok(orgAnswer, 201, 'create organization');
  exact<typeof org, Schemas['Organization']>();
  exact<typeof org.size, '1-10' | '11-50' | '51-200' | '201-1000' | '1001-5000' | '5001+' | null>();
  t.match(org, { name: 'Acme Robotics', size: '201-1000', tags: ['partner'], version: 1, website: null });
  t.equal(orgAnswer.response.headers.get('location'), `/v1/organizations/${org.id}`);
  t.equal(etagOf(orgAnswer), '"1"');
  const cached = await client.GET('/v1/organizations/{id}', { params: { path: { id: org.id } }, headers: { 'if-none-match': etagOf(orgAnswer) } });
  t.equal(cached.response.status, 304, 'read with the ETag: 304');
  t.equal(cached.data, undefined, 'a 304 has no body');

  // 2. A student, a professional at the organization, and the person the professional will refer.
  const student = ok(
    await client.POST('/v1/people', {
      body: {
        fullName: 'Ada Student',
        roles: ['student'],
        emails: ['ada@example.edu'],
        program: 'MSc Robotics',
        graduationYear: 2027,
      } satisfies Schemas['CreatePersonInput'],
    }),
    201,
    'create student',
  );
  const professional = ok(
    await client.POST('/v1/people', {
      body: { fullName: 'Grace Pro', roles: ['professional'], organizationId: org.id, title: 'Robotics Engineer' } satisfies Schemas['CreatePersonInput'],
    }),
    201,
    'create professional',
  );
  const referred = ok(
    await client.POST('/v1/people', { body: { fullName: 'Linus Referred', roles: ['professional', 'mentor'] } satisfies Schemas['CreatePersonInput'] }),
    201,
    'create the person to be referred',
  );
  type Role = 'student' | 'alumnus' | 'professional' | 'mentor' | 'advisor';
  exact<typeof student.roles, Role[]>();
  exact<typeof student.graduationYear, number | null>();
  exact<typeof professional.organizationId, string | null>();
  exact<typeof professional.doNotContact, boolean>();
  t.same(student.roles, ['student']);
  t.same(professional.roles, ['professional']);
  t.equal(professional.organizationId, org.id);
  t.equal(student.doNotContact, false);

  // A create body without a required member is a type error, and the server agrees: 400.
  const nameless = await client.POST('/v1/people', {
    // @ts-expect-error fullName is required by CreatePersonInput
    body: { roles: ['student'] },
  });
  t.same(fails(nameless, 400, 'a person without fullName').errors?.map((e) => e.path), ['fullName']);

  // 3. A planned interview between them.
  const planned = await client.POST('/v1/interviews', {
    body: {
      requesterId: student.id,
      intervieweeId: professional.id,
      organizationId: org.id,
      status: 'planned',
      format: 'video',
      durationMinutes: 30,
      goals: 'Learn how robotics teams hire graduates',
      questions: [{ question: 'What does a typical week look like?' }, { question: 'Which skills matter most?' }],
      tags: ['robotics'],
    } satisfies Schemas['CreateInterviewInput'],
  });
  const interview = ok(planned, 201, 'create interview');
  exact<typeof interview.status, 'planned' | 'requested' | 'scheduled' | 'completed' | 'cancelled' | 'no_show'>();
  exact<typeof interview.questions, { question: string; answer?: string; templateId?: string }[]>();
  t.match(interview, { status: 'planned', requesterId: student.id, intervieweeId: professional.id, organizationId: org.id, version: 1 });
  t.same(interview.questions, [{ question: 'What does a typical week look like?' }, { question: 'Which skills matter most?' }]);
  t.equal(planned.response.headers.get('location'), `/v1/interviews/${interview.id}`);
  const interviewPath = { params: { path: { id: interview.id } } };

  // 4. Its lifecycle, each step conditional on the ETag of the one before.
  const requested = await client.PATCH('/v1/interviews/{id}', {
    ...interviewPath,
    headers: { 'if-match': etagOf(planned) },
    body: { status: 'requested' } satisfies Schemas['UpdateInterviewInput'],
  });
  t.match(ok(requested, 200, 'planned → requested'), { status: 'requested', version: 2 });
  t.equal(etagOf(requested), '"2"');

  const scheduledAt = '2030-03-14T15:00:00.000Z';
  const scheduled = await client.PATCH('/v1/interviews/{id}', {
    ...interviewPath,
    headers: { 'if-match': etagOf(requested) },
    body: { status: 'scheduled', scheduledAt, location: 'Video call' } satisfies Schemas['UpdateInterviewInput'],
  });
  t.match(ok(scheduled, 200, 'requested → scheduled'), { status: 'scheduled', scheduledAt, version: 3 });
  t.equal(etagOf(scheduled), '"3"');

  const stale = await client.PATCH('/v1/interviews/{id}', {
    ...interviewPath,
    headers: { 'if-match': etagOf(requested) },
    body: { notes: 'written from an old copy' } satisfies Schemas['UpdateInterviewInput'],
  });
  const precondition = fails(stale, 412, 'a stale If-Match');
  exact<typeof precondition.code, Schemas['Problem']['code']>();
  t.equal(precondition.code, 'precondition_failed');
  t.equal(precondition.status, 412);
  t.equal(precondition.currentVersion, 3, 'the problem names the current version');

  const completed = await client.PATCH('/v1/interviews/{id}', {
    ...interviewPath,
    headers: { 'if-match': etagOf(scheduled) },
    body: {
      status: 'completed',
      notes: 'Warm, practical conversation',
      questions: [
        { question: 'What does a typical week look like?', answer: 'Two days of testing, three of design' },
        { question: 'Which skills matter most?', answer: 'Control theory and C++' },
      ],
      insights: [
        { text: 'Control theory is what sets applicants apart', category: 'skill' },
        { text: 'The team values mentoring juniors', category: 'value' },
        { text: 'Field robotics is growing fast', category: 'industry' },
        { text: 'Ask for a portfolio review early' },
      ],
      referrals: [{ personId: referred.id, note: 'Runs the perception team' }],
      skillRatings: { confidence: 4, communication: 5, interviewing: 3 },
      followUps: [{ action: 'Send a thank-you note', dueAt: '2030-03-15T12:00:00.000Z' }, { action: 'Contact Linus' }],
    } satisfies Schemas['UpdateInterviewInput'],
  });
  const done = ok(completed, 200, 'scheduled → completed');
  exact<typeof done.skillRatings, { confidence?: number; communication?: number; interviewing?: number } | null>();
  t.match(done, { status: 'completed', scheduledAt, version: 4, notes: 'Warm, practical conversation' });
  t.ok(done.occurredAt, 'completion without occurredAt sets it');
  t.same(done.insights.map((i) => i.category ?? null), ['skill', 'value', 'industry', null]);
  t.same(done.referrals, [{ personId: referred.id, note: 'Runs the perception team' }]);
  t.same(done.skillRatings, { confidence: 4, communication: 5, interviewing: 3 });
  t.same(done.followUps, [{ action: 'Send a thank-you note', dueAt: '2030-03-15T12:00:00.000Z' }, { action: 'Contact Linus' }]);
  t.equal(etagOf(completed), '"4"');

  const reopened = await client.PATCH('/v1/interviews/{id}', { ...interviewPath, body: { status: 'planned' } satisfies Schemas['UpdateInterviewInput'] });
  const transition = fails(reopened, 409, 'completed → planned');
  t.equal(transition.code, 'invalid_transition');
  t.same(transition.allowed, [], 'completed is final');
  t.equal(transition.errors?.[0]?.path, 'status');

  // The referral made sure the student knows the referred person.
  const network = ok(await client.GET('/v1/relationships', { params: { query: { personId: student.id } } }), 200, "the student's network");
  exact<typeof network.nextCursor, string | null>();
  t.equal(network.data.length, 1);
  t.match(network.data[0], { personId: student.id, contactId: referred.id, source: 'referral', introducedById: professional.id });
  const referrals = ok(
    await client.GET('/v1/relationships', { params: { query: { personId: student.id, source: 'referral', limit: 10 } } }),
    200,
    'referral edges',
  );
  t.same(
    referrals.data.map((r) => r.contactId),
    [referred.id],
  );

  // 5. An active career strategy informed by the interview, targeting the organization.
  const created = await client.POST('/v1/career-strategies', {
    body: {
      personId: student.id,
      title: 'Into field robotics',
      status: 'active',
      skills: ['control theory', 'C++'],
      values: ['mentoring', 'craft'],
      interests: ['field robotics', 'perception'],
      targetRoles: ['Robotics Engineer'],
      targetOrganizationIds: [org.id],
      informedByInterviewIds: [interview.id],
      // `status` defaults to open on the server, but openapi-typescript (default-non-nullable)
      // types a member with a default as required, so the generated type demands it.
      goals: [{ description: 'Portfolio reviewed by a professional', targetDate: '2030-06-30', status: 'open' }],
    } satisfies Schemas['CreateCareerStrategyInput'],
  });
  const strategy = ok(created, 201, 'create career strategy');
  exact<typeof strategy.status, 'draft' | 'active' | 'archived'>();
  exact<typeof strategy.goals, { description: string; targetDate: string | null; status: 'open' | 'done' | 'dropped' }[]>();
  t.match(strategy, {
    personId: student.id,
    status: 'active',
    version: 1,
    skills: ['control theory', 'C++'],
    values: ['mentoring', 'craft'],
    interests: ['field robotics', 'perception'],
    targetOrganizationIds: [org.id],
    informedByInterviewIds: [interview.id],
  });

  // 6. A change keeps the earlier state as one revision.
  const changed = await client.PATCH('/v1/career-strategies/{id}', {
    params: { path: { id: strategy.id } },
    headers: { 'if-match': etagOf(created) },
    body: { skills: ['control theory', 'C++', 'ROS'], talents: ['explaining'] } satisfies Schemas['UpdateCareerStrategyInput'],
  });
  t.match(ok(changed, 200, 'patch career strategy'), { version: 2, skills: ['control theory', 'C++', 'ROS'], talents: ['explaining'] });
  const history = ok(await client.GET('/v1/career-strategies/{id}/revisions', { params: { path: { id: strategy.id } } }), 200, 'revisions');
  exact<typeof history.data, Schemas['CareerStrategyRevision'][]>();
  t.equal(history.data.length, 1, 'one revision');
  t.equal(history.nextCursor, null);
  t.equal(history.data[0]?.revision, 1);
  t.match(history.data[0]?.snapshot, { id: strategy.id, version: 1, skills: ['control theory', 'C++'], talents: [] }, 'the state it replaced');

  // 7. Interviews by requester and status.
  const byStudent = ok(
    await client.GET('/v1/interviews', { params: { query: { requesterId: student.id, status: 'completed' } } }),
    200,
    "the student's completed interviews",
  );
  t.same(
    byStudent.data.map((i) => i.id),
    [interview.id],
  );
  t.equal(byStudent.nextCursor, null);
  const stillPlanned = ok(await client.GET('/v1/interviews', { params: { query: { requesterId: student.id, status: 'planned' } } }), 200, 'planned ones');
  t.same(stillPlanned.data, []);

  // 8. The organization is referred to: 409 naming its dependents, then a cascade.
  const refused = fails(await client.DELETE('/v1/organizations/{id}', { params: { path: { id: org.id } } }), 409, 'delete a referenced organization');
  t.equal(refused.code, 'conflict');
  t.same(refused.dependents, { people: 1, interviews: 1, careerStrategies: 1 });
  const cascaded = await client.DELETE('/v1/organizations/{id}', { params: { path: { id: org.id }, query: { cascade: 'true' } } });
  t.equal(cascaded.response.status, 204, 'delete with cascade: 204');
  t.equal(cascaded.data, undefined, 'a 204 has no body');
  t.equal(fails(await client.GET('/v1/organizations/{id}', { params: { path: { id: org.id } } }), 404, 'the organization is gone').code, 'not_found');
  const unemployed = ok(await client.GET('/v1/people/{id}', { params: { path: { id: professional.id } } }), 200, 'the professional');
  t.equal(unemployed.organizationId, null, 'optional references are cleared');
  const untargeted = ok(await client.GET('/v1/career-strategies/{id}', { params: { path: { id: strategy.id } } }), 200, 'the strategy');
  t.same(untargeted.targetOrganizationIds, []);
  t.equal(untargeted.version, 3, 'losing a target is a change of the strategy');

  // 9. An invalid body: the problem says where.
  const self = fails(
    await client.POST('/v1/interviews', { body: { requesterId: student.id, intervieweeId: student.id } satisfies Schemas['CreateInterviewInput'] }),
    400,
    'an interview with oneself',
  );
  exact<typeof self.errors, { path: string; message: string }[] | undefined>();
  t.equal(self.code, 'validation_failed');
  t.equal(self.errors?.[0]?.path, 'intervieweeId');

  // Every answer was one the contract lists for its operation.
  t.ok(exchanges.length >= 25, `${exchanges.length} exchanges recorded`);
  for (const { method, schemaPath, status, mediaType, body } of exchanges) {
    const operation = `${method.toUpperCase()} ${schemaPath} ${status}`;
    const documented = contract.paths[schemaPath]?.[method]?.responses[String(status)];
    t.ok(documented, `${operation} is documented`);
    const mediaTypes = Object.keys(documented?.content ?? {});
    if (mediaTypes.length === 0) {
      t.equal(body, '', `${operation} has no body, as documented`);
      continue;
    }
    t.ok(body.length > 0, `${operation} has a body`);
    t.ok(mediaType !== null && mediaTypes.includes(mediaType), `${operation} is served as ${mediaTypes.join(' or ')}`);
  }
});
