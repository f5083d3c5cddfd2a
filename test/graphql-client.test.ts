// The GraphQL contract from a frontend's side: the app listens on a real port, and
// graphql-request sends the operations of test/client/graphql-operations.ts, typed by what
// GraphQL Code Generator made of schema.graphql (`npm run client:types`, before the type-check:
// a variable or a field the schema does not have fails CI there). The REST client scenario —
// an organization, a student, a professional, an interview through its lifecycle, a strategy
// informed by it — runs through GraphQL, and the records equal what REST returns for them.
import t from 'tap';
import { ClientError, GraphQLClient } from 'graphql-request';
import type {
  ActivateMutation,
  ActivateMutationVariables,
  CompleteInterviewMutation,
  CompleteInterviewMutationVariables,
  CreateInterviewMutation,
  CreateInterviewMutationVariables,
  CreateOrganizationMutation,
  CreateOrganizationMutationVariables,
  CreatePersonMutation,
  CreatePersonMutationVariables,
  CreateStrategyMutation,
  CreateStrategyMutationVariables,
  RecordInsightsMutation,
  RecordInsightsMutationVariables,
  ScheduleInterviewMutation,
  ScheduleInterviewMutationVariables,
  StudentJourneyQuery,
  StudentJourneyQueryVariables,
} from './client/graphql.gen.js';
import * as op from './client/graphql-operations.js';
import { buildTestApp, restCaller, tenantWithKey } from './helpers/app.js';

/** REST's lower snake values as the GraphQL enum names a client compares them to. */
const upper = (value: string | null) => value?.toUpperCase() ?? null;

t.test('a typed GraphQL client runs the REST scenario, and the records are REST’s', async (t) => {
  const { app, database } = await buildTestApp(t);
  const owner = await tenantWithKey(database);
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  const client = new GraphQLClient(`${baseUrl}/graphql`, { headers: { authorization: `Bearer ${owner.key}` } });
  const rest = restCaller(app, owner.auth);

  const org = (
    await client.request<CreateOrganizationMutation, CreateOrganizationMutationVariables>(op.CreateOrganization, {
      input: { name: 'Acme Robotics', size: 'SIZE_201_1000', tags: ['internships'] },
    })
  ).createOrganization.organization!;
  t.same([org.name, org.size], ['Acme Robotics', 'SIZE_201_1000']);

  const student = (
    await client.request<CreatePersonMutation, CreatePersonMutationVariables>(op.CreatePerson, {
      input: { fullName: 'Ana Student', roles: ['STUDENT'], emails: ['ana@example.edu'], graduationYear: 2027 },
    })
  ).createPerson.person!;
  const pro = (
    await client.request<CreatePersonMutation, CreatePersonMutationVariables>(op.CreatePerson, {
      input: { fullName: 'Pia Pro', roles: ['PROFESSIONAL', 'MENTOR'], organizationId: org.id, title: 'Robotics Engineer' },
    })
  ).createPerson.person!;
  t.same(pro.organization, { id: org.id, name: 'Acme Robotics' });

  const planned = (
    await client.request<CreateInterviewMutation, CreateInterviewMutationVariables>(op.CreateInterview, {
      input: { requesterId: student.id, intervieweeId: pro.id, organizationId: org.id, format: 'VIDEO', questions: [{ question: 'How did you start?' }] },
    })
  ).createInterview.interview!;
  t.equal(planned.status, 'PLANNED');
  const scheduled = (
    await client.request<ScheduleInterviewMutation, ScheduleInterviewMutationVariables>(op.ScheduleInterview, {
      id: planned.id,
      scheduledAt: '2026-10-01T15:00:00Z',
      expectedVersion: planned.version,
    })
  ).scheduleInterview.interview!;
  t.same([scheduled.status, scheduled.scheduledAt], ['SCHEDULED', '2026-10-01T15:00:00.000Z']);
  const completed = (
    await client.request<CompleteInterviewMutation, CompleteInterviewMutationVariables>(op.CompleteInterview, { id: planned.id, occurredAt: '2026-10-01T15:10:00Z' })
  ).completeInterview.interview!;
  t.equal(completed.status, 'COMPLETED');
  const noted = (
    await client.request<RecordInsightsMutation, RecordInsightsMutationVariables>(op.RecordInsights, {
      id: planned.id,
      input: { insights: [{ text: 'Controls skills matter most', category: 'SKILL' }], skillRatings: { confidence: 4 } },
    })
  ).updateInterview.interview!;
  t.same(noted.insights, [{ text: 'Controls skills matter most', category: 'SKILL' }]);

  // The lifecycle's rule reaches the client as an error it can read: COMPLETED is final.
  const refused = await client
    .request<ScheduleInterviewMutation, ScheduleInterviewMutationVariables>(op.ScheduleInterview, { id: planned.id, scheduledAt: '2026-10-02T15:00:00Z' })
    .then(
      () => null,
      (err: unknown) => err,
    );
  t.ok(refused instanceof ClientError, 'graphql-request raises the errors');
  const { code, allowed } = (refused as ClientError).response.errors?.[0]?.extensions ?? {};
  t.same([code, allowed], ['CONFLICT', []], 'a CONFLICT: no state follows COMPLETED');

  const strategy = (
    await client.request<CreateStrategyMutation, CreateStrategyMutationVariables>(op.CreateStrategy, {
      input: {
        personId: student.id,
        title: 'Robotics first',
        skills: ['controls'],
        goals: [{ description: 'Two more interviews', targetDate: '2026-12-31' }],
        targetOrganizationIds: [org.id],
        informedByInterviewIds: [planned.id],
      },
    })
  ).createCareerStrategy.careerStrategy!;
  const active = (await client.request<ActivateMutation, ActivateMutationVariables>(op.Activate, { id: strategy.id })).activateCareerStrategy.careerStrategy!;
  t.same([active.status, active.version], ['ACTIVE', 2]);

  const journey = (await client.request<StudentJourneyQuery, StudentJourneyQueryVariables>(op.StudentJourney, { student: student.id })).person!;

  // The same records through REST: GraphQL only renames the enum values.
  const person = (await rest('GET', `/v1/people/${student.id}`)).json();
  const { interviews, activeStrategy, ...personFields } = journey;
  t.same(personFields, { ...person, roles: person.roles.map(upper) }, 'the student');

  t.equal(interviews.totalCount, 1);
  const { interviewee, ...interviewFields } = interviews.nodes[0]!;
  const interview = (await rest('GET', `/v1/interviews/${planned.id}`)).json();
  t.same(
    interviewFields,
    {
      ...interview,
      status: upper(interview.status),
      format: upper(interview.format),
      questions: interview.questions.map((q: object) => ({ answer: null, ...q })),
      insights: interview.insights.map((i: { category: string }) => ({ ...i, category: upper(i.category) })),
      skillRatings: { confidence: null, communication: null, interviewing: null, ...interview.skillRatings },
    },
    'the interview',
  );
  t.same(interviewee, { fullName: 'Pia Pro', organization: { name: 'Acme Robotics' } });

  const { informedBy, ...strategyFields } = activeStrategy!;
  const stored = (await rest('GET', `/v1/career-strategies/${strategy.id}`)).json();
  t.same(
    strategyFields,
    { ...stored, status: upper(stored.status), goals: stored.goals.map((g: { status: string }) => ({ ...g, status: upper(g.status) })) },
    'the strategy',
  );
  t.same(informedBy, [{ id: planned.id, insights: [{ text: 'Controls skills matter most' }] }], 'informed by the interview');
});
