import t from 'tap';
import { isEnumType } from 'graphql';
import { insightCategories, interviewFormats, interviewStatuses, relationshipKinds, relationshipSources, strategyGoalStatuses, strategyStatuses } from '../src/db/schema/index.js';
import { CareerStrategy, CareerStrategyInput } from '../src/modules/career-strategies/career-strategies.schemas.js';
import { GoalStatusEnum, StrategyStatusEnum } from '../src/modules/career-strategies/career-strategies.resolvers.js';
import { InsightCategoryEnum, InterviewFormatEnum, InterviewStatusEnum } from '../src/modules/interviews/interviews.resolvers.js';
import { Interview, InterviewInput } from '../src/modules/interviews/interviews.schemas.js';
import { RelationshipKindEnum, RelationshipSourceEnum } from '../src/modules/relationships/relationships.resolvers.js';
import { Relationship, RelationshipInput } from '../src/modules/relationships/relationships.schemas.js';
import { buildTestApp, restCaller, tenantWithKey } from './helpers/app.js';
import { freshDatabase } from './helpers/database.js';
import { graphqlCaller, holdsTo, inputsHoldTo } from './helpers/graphql.js';

// Relationships, interviews and career strategies over GraphQL: the same services and rules
// as REST, relations both ways through per-request loaders, the interview lifecycle as
// intention-named mutations.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a GraphQL answer's shape is its query's; the assertions check it
type Json = any;

const RELATIONSHIP = 'id externalId createdAt updatedAt version personId contactId kind source introducedById strength lastContactedAt notes';
const INTERVIEW = `id externalId createdAt updatedAt version requesterId intervieweeId organizationId status scheduledAt occurredAt durationMinutes format location goals
  questions { question answer } notes insights { text category } referrals { personId note } thankYouSentAt followUps { action dueAt doneAt }
  skillRatings { confidence communication interviewing } tags`;
const STRATEGY = `id externalId createdAt updatedAt version personId title status skills values talents interests targetRoles targetIndustries targetLocations
  collaborators workStyle goals { description targetDate status } targetOrganizationIds informedByInterviewIds`;

/** A REST record with the optional members GraphQL answers as null spelled out, enums as names. */
const asGraphqlInterview = (r: Json) => ({
  ...r,
  status: r.status.toUpperCase(),
  format: r.format?.toUpperCase() ?? null,
  questions: r.questions.map((q: Json) => ({ answer: null, ...q })),
  insights: r.insights.map((i: Json) => ({ ...i, category: i.category?.toUpperCase() ?? null })),
  referrals: r.referrals.map((x: Json) => ({ note: null, ...x })),
  followUps: r.followUps.map((f: Json) => ({ dueAt: null, doneAt: null, ...f })),
  skillRatings: r.skillRatings && { confidence: null, communication: null, interviewing: null, ...r.skillRatings },
});

t.test('the network in GraphQL: relationships, interviews, career strategies', async (t) => {
  const statements: string[] = [];
  const { database } = await freshDatabase(t, { onQuery: (sql) => statements.push(sql) });
  const { app } = await buildTestApp(t, {}, database);
  const owner = await tenantWithKey(database);
  const other = await tenantWithKey(database, 'Other Center');
  const rest = restCaller(app, owner.auth);
  const gql = graphqlCaller<Json>(app, owner.auth);
  const ok = async (query: string, variables: Record<string, unknown> = {}) => {
    const answer = await gql(query, variables);
    if (answer.errors) throw new Error(JSON.stringify(answer.errors));
    return answer.data!;
  };

  const acme = (await rest('POST', '/v1/organizations', { name: 'Acme Robotics' })).json();
  const beta = (await rest('POST', '/v1/organizations', { name: 'Beta Bio' })).json();
  const person = async (fullName: string, extra: Record<string, unknown> = {}) => (await rest('POST', '/v1/people', { fullName, ...extra })).json().id as string;
  const ana = await person('Ana Student', { roles: ['student'] });
  const ben = await person('Ben Student', { roles: ['student'] });
  const pro = await person('Pia Pro', { roles: ['professional'], organizationId: acme.id });
  const ref = await person('Rex Referred', { roles: ['professional'], organizationId: beta.id });
  const quiet = await person('Quinn Quiet', { roles: ['professional'], doNotContact: true });
  const foreignPerson = (await restCaller(app, other.auth)('POST', '/v1/people', { fullName: 'Elsewhere' })).json().id as string;

  t.test('the SDL holds to the zod schemas: fields, required-ness, enum values', async (t) => {
    const schema = app.graphqlSchema;
    holdsTo(t, schema, 'Relationship', Relationship.shape);
    inputsHoldTo(t, schema, ['CreateRelationshipInput', 'UpdateRelationshipInput'], RelationshipInput.shape);
    const { referrals: _r, ...interviewShape } = Interview.shape;
    holdsTo(t, schema, 'Interview', interviewShape);
    inputsHoldTo(t, schema, ['CreateInterviewInput', 'UpdateInterviewInput'], InterviewInput.shape);
    holdsTo(t, schema, 'CareerStrategy', CareerStrategy.shape);
    inputsHoldTo(t, schema, ['CreateCareerStrategyInput', 'UpdateCareerStrategyInput'], CareerStrategyInput.shape);
    const enums: [string, readonly string[], { names: string[] }][] = [
      ['RelationshipKind', relationshipKinds, RelationshipKindEnum],
      ['RelationshipSource', relationshipSources, RelationshipSourceEnum],
      ['InterviewStatus', interviewStatuses, InterviewStatusEnum],
      ['InterviewFormat', interviewFormats, InterviewFormatEnum],
      ['InsightCategory', insightCategories, InsightCategoryEnum],
      ['StrategyStatus', strategyStatuses, StrategyStatusEnum],
      ['GoalStatus', strategyGoalStatuses, GoalStatusEnum],
    ];
    for (const [name, values, mapped] of enums) {
      const type = schema.getType(name);
      if (!isEnumType(type)) throw new Error(`no enum ${name}`);
      t.same(
        type.getValues().map((v) => v.name),
        values.map((v) => v.toUpperCase()),
        `${name}: the domain's values in UPPER_SNAKE`,
      );
      t.same(mapped.names, values.map((v) => v.toUpperCase()), `${name}: the resolvers map the same names`);
      t.ok(type.getValues().every((v) => v.description), `${name}: every value described`);
    }
  });

  let edge: { id: string };
  t.test('relationships: mutations, the record REST returns, both ends and the introducer', async (t) => {
    const made = await ok(
      `mutation ($input: CreateRelationshipInput!) { createRelationship(input: $input) { relationship { ${RELATIONSHIP} person { fullName } contact { fullName } introducedBy { fullName } } } }`,
      { input: { personId: ana, contactId: pro, kind: 'MENTOR', source: 'ALUMNI_NETWORK', introducedById: ben, strength: 3, lastContactedAt: '2026-10-01T09:00:00+02:00' } },
    );
    const { person: p, contact, introducedBy, ...record } = made.createRelationship.relationship;
    edge = record;
    t.same({ p, contact, introducedBy }, { p: { fullName: 'Ana Student' }, contact: { fullName: 'Pia Pro' }, introducedBy: { fullName: 'Ben Student' } });
    const viaRest = (await rest('GET', `/v1/relationships/${record.id}`)).json();
    t.same(record, { ...viaRest, kind: 'MENTOR', source: 'ALUMNI_NETWORK' }, 'the record REST returns, enum values as names');
    t.equal(record.lastContactedAt, '2026-10-01T07:00:00.000Z', 'a DateTime with an offset is stored as its instant');

    const changed = await ok(`mutation ($id: UUID!) { updateRelationship(id: $id, input: { strength: 5, introducedById: null }, expectedVersion: 1) { relationship { strength introducedBy { id } version } } }`, {
      id: record.id,
    });
    t.same(changed.updateRelationship.relationship, { strength: 5, introducedBy: null, version: 2 }, 'a merge: null clears');
    const stale = await gql(`mutation ($id: UUID!) { updateRelationship(id: $id, input: { strength: 1 }, expectedVersion: 1) { relationship { id } } }`, { id: record.id });
    t.equal(stale.errors?.[0]?.extensions.code, 'CONFLICT', 'a stale expectedVersion');

    const upserted = await ok(`mutation { upsertRelationshipByExternalId(externalId: "edge-1", input: { personId: "${ben}", contactId: "${pro}", source: CAREER_CENTER }) { created relationship { source } } }`);
    t.same(upserted.upsertRelationshipByExternalId, { created: true, relationship: { source: 'CAREER_CENTER' } });
    const found = await ok(`{ relationshipByExternalId(externalId: "edge-1") { contact { fullName } } relationships(filter: { source: CAREER_CENTER }) { totalCount nodes { externalId } } }`);
    t.same(found, { relationshipByExternalId: { contact: { fullName: 'Pia Pro' } }, relationships: { totalCount: 1, nodes: [{ externalId: 'edge-1' }] } });

    const self = await gql(`mutation { createRelationship(input: { personId: "${ana}", contactId: "${ana}" }) { relationship { id } } }`);
    t.equal(self.errors?.[0]?.extensions.code, 'BAD_USER_INPUT');
    t.same(self.errors?.[0]?.extensions.errors?.map((e) => e.path), ['input.contactId'], 'the rule, named where the caller wrote it');
    const foreign = await gql(`mutation { createRelationship(input: { personId: "${ana}", contactId: "${foreignPerson}" }) { relationship { id } } }`);
    t.same(foreign.errors?.[0]?.extensions.errors?.map((e) => e.path), ['input.contactId'], "another tenant's person is an unknown one");
    const duplicate = await gql(`mutation { createRelationship(input: { personId: "${ana}", contactId: "${pro}" }) { relationship { id } } }`);
    t.ok(duplicate.errors?.[0]?.extensions.code, 'one edge per ordered pair');
    t.not(duplicate.errors?.[0]?.extensions.code, 'INTERNAL_SERVER_ERROR');
  });

  t.test("a person's relationships: OUT, IN and BOTH, each a connection with its count", async (t) => {
    const q = `query ($id: UUID!) { person(id: $id) {
      out: relationships { totalCount nodes { contact { fullName } } }
      in: relationships(direction: IN) { totalCount nodes { person { fullName } } }
      both: relationships(direction: BOTH, first: 1) { totalCount pageInfo { hasNextPage } nodes { id } }
    } }`;
    const pia = (await ok(q, { id: pro })).person;
    t.same(pia.out, { totalCount: 0, nodes: [] });
    t.same(pia.in.nodes.map((n: Json) => n.person.fullName).sort(), ['Ana Student', 'Ben Student']);
    t.equal(pia.in.totalCount, 2);
    t.same(pia.both, { totalCount: 2, pageInfo: { hasNextPage: true }, nodes: [{ id: edge.id }] }, 'the first of both, oldest first');
    const anas = (await ok(q, { id: ana })).person;
    t.same(anas.out.nodes, [{ contact: { fullName: 'Pia Pro' } }]);
    t.equal(anas.both.totalCount, 1);
  });

  let interviewId: string;
  t.test('interviews: created with every nested type, then through the lifecycle by intention', async (t) => {
    const input = {
      requesterId: ana,
      intervieweeId: pro,
      organizationId: acme.id,
      goals: 'Learn what a robotics engineer does all day',
      format: 'VIDEO',
      durationMinutes: 30,
      questions: [{ question: 'What does a typical day look like?' }, { question: 'How did you start?', answer: 'An internship.' }],
      insights: [{ text: 'Controls skills matter most', category: 'SKILL' }, { text: 'Ask about the team' }],
      followUps: [{ action: 'Send thanks', dueAt: '2026-10-02T12:00:00Z' }],
      referrals: [{ personId: ref, note: 'Talk to Rex' }],
      skillRatings: { confidence: 3, communication: 4 },
      tags: ['robotics'],
    };
    const created = await ok(`mutation ($input: CreateInterviewInput!) { createInterview(input: $input) { interview { ${INTERVIEW} } } }`, { input });
    const record = created.createInterview.interview;
    interviewId = record.id;
    t.equal(record.status, 'PLANNED', 'PLANNED when left out');
    t.same(record, asGraphqlInterview((await rest('GET', `/v1/interviews/${record.id}`)).json()), 'the record REST returns');

    const lifecycle = `interview { status version scheduledAt occurredAt }`;
    const requested = await ok(`mutation ($id: UUID!) { requestInterview(id: $id, expectedVersion: 1) { ${lifecycle} } }`, { id: record.id });
    t.same(requested.requestInterview.interview, { status: 'REQUESTED', version: 2, scheduledAt: null, occurredAt: null });
    const noTime = await gql(`mutation ($id: UUID!) { completeInterview(id: $id) { ${lifecycle} } }`, { id: record.id });
    t.equal(noTime.errors?.[0]?.extensions.code, 'CONFLICT', 'REQUESTED cannot be completed');
    t.same(noTime.errors?.[0]?.extensions.allowed, ['SCHEDULED', 'CANCELLED'], 'the allowed next states, as enum values');
    const scheduled = await ok(`mutation ($id: UUID!) { scheduleInterview(id: $id, scheduledAt: "2026-10-01T15:00:00Z") { ${lifecycle} } }`, { id: record.id });
    t.same(scheduled.scheduleInterview.interview, { status: 'SCHEDULED', version: 3, scheduledAt: '2026-10-01T15:00:00.000Z', occurredAt: null });
    const badTime = await gql(`mutation ($id: UUID!) { scheduleInterview(id: $id, scheduledAt: "next tuesday") { ${lifecycle} } }`, { id: record.id });
    t.equal(badTime.errors?.[0]?.extensions.code, 'GRAPHQL_VALIDATION_FAILED', 'a literal that is no DateTime is refused before anything runs');
    const stale = await gql(`mutation ($id: UUID!) { completeInterview(id: $id, expectedVersion: 2) { ${lifecycle} } }`, { id: record.id });
    t.equal(stale.errors?.[0]?.extensions.code, 'CONFLICT', 'a stale expectedVersion');
    const completed = await ok(`mutation ($id: UUID!) { completeInterview(id: $id, occurredAt: "2026-10-01T15:05:00Z") { ${lifecycle} } }`, { id: record.id });
    t.same(completed.completeInterview.interview, { status: 'COMPLETED', version: 4, scheduledAt: '2026-10-01T15:00:00.000Z', occurredAt: '2026-10-01T15:05:00.000Z' });
    const cancel = await gql(`mutation ($id: UUID!) { cancelInterview(id: $id) { ${lifecycle} } }`, { id: record.id });
    t.same([cancel.errors?.[0]?.extensions.code, cancel.errors?.[0]?.extensions.allowed], ['CONFLICT', []], 'COMPLETED is final');

    // A second interview: scheduled, then nobody came, then cancelled is refused.
    const second = await ok(`mutation { createInterview(input: { requesterId: "${ben}", intervieweeId: "${pro}", status: SCHEDULED, scheduledAt: "2026-11-01T10:00:00Z" }) { interview { id } } }`);
    const noShow = await ok(`mutation ($id: UUID!) { markInterviewNoShow(id: $id) { ${lifecycle} } }`, { id: second.createInterview.interview.id });
    t.equal(noShow.markInterviewNoShow.interview.status, 'NO_SHOW');
    const cancelled = await gql(`mutation ($id: UUID!) { cancelInterview(id: $id) { ${lifecycle} } }`, { id: second.createInterview.interview.id });
    t.same(cancelled.errors?.[0]?.extensions.allowed, ['PLANNED', 'SCHEDULED']);
    const missing = await gql(`mutation { cancelInterview(id: "${foreignPerson}") { interview { id } } }`);
    t.equal(missing.errors?.[0]?.extensions.code, 'NOT_FOUND');

    const unscheduled = await gql(`mutation { createInterview(input: { requesterId: "${ana}", intervieweeId: "${pro}", status: SCHEDULED }) { interview { id } } }`);
    t.same(unscheduled.errors?.[0]?.extensions.errors?.map((e) => e.path), ['input.scheduledAt'], 'SCHEDULED needs a time');
    const quietOne = await gql(`mutation { createInterview(input: { requesterId: "${ana}", intervieweeId: "${quiet}", status: REQUESTED }) { interview { id } } }`);
    t.equal(quietOne.errors?.[0]?.extensions.code, 'CONFLICT', 'doNotContact is refused, as REST refuses it');
    const tooMany = await gql(`mutation ($input: CreateInterviewInput!) { createInterview(input: $input) { interview { id } } }`, {
      input: { requesterId: ana, intervieweeId: pro, skillRatings: { confidence: 9 }, insights: [{ text: '' }] },
    });
    t.same(tooMany.errors?.[0]?.extensions.errors?.map((e) => e.path).sort(), ['input.insights.0.text', 'input.skillRatings.confidence'], 'every field error at once');
  });

  t.test("a referral makes the requester's relationship; relations of an interview and to it", async (t) => {
    const changed = await ok(
      `mutation ($id: UUID!) { updateInterview(id: $id, input: { thankYouSentAt: "2026-10-01T18:00:00Z" }) {
        interview { thankYouSentAt referrals { note person { fullName organization { name } } } requester { fullName } interviewee { fullName } organization { name } } } }`,
      { id: interviewId },
    );
    t.same(changed.updateInterview.interview, {
      thankYouSentAt: '2026-10-01T18:00:00.000Z',
      referrals: [{ note: 'Talk to Rex', person: { fullName: 'Rex Referred', organization: { name: 'Beta Bio' } } }],
      requester: { fullName: 'Ana Student' },
      interviewee: { fullName: 'Pia Pro' },
      organization: { name: 'Acme Robotics' },
    });
    const network = await ok(`query ($id: UUID!) { person(id: $id) { relationships(first: 10) { nodes { contact { fullName } source introducedBy { fullName } } } } }`, { id: ana });
    t.same(
      network.person.relationships.nodes.find((n: Json) => n.contact.fullName === 'Rex Referred'),
      { contact: { fullName: 'Rex Referred' }, source: 'REFERRAL', introducedBy: { fullName: 'Pia Pro' } },
      'the referral chain of the hidden job market',
    );
    const sides = await ok(`query ($a: UUID!, $p: UUID!) {
      ana: person(id: $a) { asked: interviews { totalCount } gave: interviews(role: INTERVIEWEE) { totalCount } }
      pia: person(id: $p) { asked: interviews { totalCount } gave: interviews(role: INTERVIEWEE) { totalCount nodes { requester { fullName } } } either: interviews(role: ANY) { totalCount } }
      acme: organization(id: "${acme.id}") { interviews { totalCount nodes { id } } }
      done: interviews(filter: { status: COMPLETED, requesterId: $a }) { totalCount }
    }`, { a: ana, p: pro });
    t.same(sides.ana, { asked: { totalCount: 1 }, gave: { totalCount: 0 } });
    t.same(sides.pia.asked, { totalCount: 0 });
    t.same(sides.pia.gave.nodes.map((n: Json) => n.requester.fullName), ['Ana Student', 'Ben Student']);
    t.same([sides.pia.gave.totalCount, sides.pia.either.totalCount], [2, 2]);
    t.same(sides.acme.interviews, { totalCount: 1, nodes: [{ id: interviewId }] });
    t.same(sides.done, { totalCount: 1 });
  });

  t.test('a relation reads only the fields selected, through fragments too, and answers them whole', async (t) => {
    const query = `query ($p: UUID!) { person(id: $p) {
      interviews(role: INTERVIEWEE) { nodes { ...Seen } edges { node { ... on Interview { tags referrals { note } } } } }
    } }
    fragment Seen on Interview { status scheduledAt requester { fullName } organization { name } skillRatings { confidence } }`;
    const expected = (await rest('GET', `/v1/interviews?intervieweeId=${pro}`)).json().data as Json[];
    // Twice: the second run is graphql-jit's compiled query.
    for (const run of ['first', 'compiled']) {
      const answer = await gql(query, { p: pro });
      t.notOk(answer.errors, `${run}: ${JSON.stringify(answer.errors)}`);
      const { nodes, edges } = answer.data!.person.interviews;
      t.same(
        nodes.map((n: Json) => [n.status, n.scheduledAt, n.requester.fullName, n.organization?.name ?? null, n.skillRatings?.confidence ?? null]),
        expected.map((i) => [i.status.toUpperCase(), i.scheduledAt, i.requesterId === ana ? 'Ana Student' : 'Ben Student', i.organizationId ? 'Acme Robotics' : null, i.skillRatings?.confidence ?? null]),
        `${run}: the fields of a fragment spread`,
      );
      t.same(
        edges.map((e: Json) => [e.node.tags, e.node.referrals.map((r: Json) => r.note)]),
        expected.map((i) => [i.tags, i.referrals.map((r: Json) => r.note ?? null)]),
        `${run}: the fields of an inline fragment under edges`,
      );
    }
  });

  t.test('career strategies: goals, targets, the interviews that informed them, activation and revisions', async (t) => {
    const input = {
      personId: ana,
      title: 'Robotics first',
      skills: ['controls'],
      goals: [{ description: 'Two more interviews', targetDate: '2026-12-31' }, { description: 'Apply to Acme', status: 'DONE' }],
      targetOrganizationIds: [beta.id, acme.id],
      informedByInterviewIds: [interviewId],
    };
    const first = (await ok(`mutation ($input: CreateCareerStrategyInput!) { createCareerStrategy(input: $input) { careerStrategy { ${STRATEGY} } } }`, { input }))
      .createCareerStrategy.careerStrategy;
    const viaRest = (await rest('GET', `/v1/career-strategies/${first.id}`)).json();
    t.same(first, { ...viaRest, status: 'DRAFT', goals: viaRest.goals.map((g: Json) => ({ ...g, status: g.status.toUpperCase() })) }, 'the record REST returns');
    t.same(first.goals.map((g: Json) => [g.targetDate, g.status]), [['2026-12-31', 'OPEN'], [null, 'DONE']]);

    const badDate = await gql(`mutation ($input: CreateCareerStrategyInput!) { createCareerStrategy(input: $input) { careerStrategy { id } } }`, {
      input: { personId: ana, goals: [{ description: 'x', targetDate: '31/12/2026' }] },
    });
    t.same([badDate.errors?.[0]?.extensions.code, badDate.errors?.[0]?.extensions.errors?.[0]?.path], ['BAD_USER_INPUT', 'variables.input.goals[0].targetDate']);
    const nullStatus = await ok(`mutation { createCareerStrategy(input: { personId: "${ben}", goals: [{ description: "Meet three alumni", status: null }] }) { careerStrategy { goals { status } } } }`);
    t.same(nullStatus.createCareerStrategy.careerStrategy.goals, [{ status: 'OPEN' }], "a goal's null status is OPEN, as left out");
    const notTheirs = await gql(`mutation { createCareerStrategy(input: { personId: "${ben}", informedByInterviewIds: ["${interviewId}"] }) { careerStrategy { id } } }`);
    t.same(notTheirs.errors?.[0]?.extensions.errors?.map((e) => e.path), ['input.informedByInterviewIds.0'], "only the person's own interviews");

    const active = await ok(`mutation ($id: UUID!) { activateCareerStrategy(id: $id) { careerStrategy { status version } } }`, { id: first.id });
    t.same(active.activateCareerStrategy.careerStrategy, { status: 'ACTIVE', version: 2 });
    const second = (await ok(`mutation { createCareerStrategy(input: { personId: "${ana}", title: "Plan B" }) { careerStrategy { id } } }`)).createCareerStrategy.careerStrategy;
    await ok(`mutation ($id: UUID!) { activateCareerStrategy(id: $id, expectedVersion: 1) { careerStrategy { id } } }`, { id: second.id });

    const read = await ok(
      `query ($a: UUID!, $s: UUID!) {
        person(id: $a) { activeStrategy { title } careerStrategies { totalCount nodes { title status } } }
        ben: person(id: "${ben}") { activeStrategy { id } }
        careerStrategy(id: $s) { person { fullName } targetOrganizations { name } informedBy { id status }
          revisions { pageInfo { hasNextPage } nodes { revision snapshot } }
          firstRevision: revisions(first: 1) { pageInfo { hasNextPage endCursor } nodes { revision } } }
        archived: careerStrategies(filter: { status: ARCHIVED, personId: $a }) { totalCount }
      }`,
      { a: ana, s: first.id },
    );
    t.same(read.person, {
      activeStrategy: { title: 'Plan B' },
      careerStrategies: { totalCount: 2, nodes: [{ title: 'Robotics first', status: 'ARCHIVED' }, { title: 'Plan B', status: 'ACTIVE' }] },
    });
    t.same(read.ben, { activeStrategy: null });
    const strategy = read.careerStrategy;
    t.same(strategy.person, { fullName: 'Ana Student' });
    t.same(strategy.targetOrganizations, [{ name: 'Beta Bio' }, { name: 'Acme Robotics' }], 'in the order given');
    t.same(strategy.informedBy, [{ id: interviewId, status: 'COMPLETED' }]);
    t.same(strategy.revisions.nodes.map((r: Json) => [r.revision, r.snapshot.status]), [[1, 'draft'], [2, 'active']], 'each earlier state, as REST shows it');
    t.equal(strategy.firstRevision.pageInfo.hasNextPage, true);
    const rest2 = await ok(`query ($s: UUID!, $after: String) { careerStrategy(id: $s) { revisions(after: $after) { nodes { revision } } } }`, {
      s: first.id,
      after: strategy.firstRevision.pageInfo.endCursor,
    });
    t.same(rest2.careerStrategy.revisions.nodes, [{ revision: 2 }], 'the next page after its cursor');
    t.same(read.archived, { totalCount: 1 });

    const deleted = await ok(`mutation ($id: UUID!) { deleteCareerStrategy(id: $id) { deletedId } }`, { id: second.id });
    t.same(deleted.deleteCareerStrategy, { deletedId: second.id });
    const guarded = await gql(`mutation ($id: UUID!) { deleteInterview(id: $id) { deletedId } }`, { id: interviewId });
    t.equal(guarded.errors?.[0]?.extensions.code, 'CONFLICT', 'an interview a strategy cites is not deleted without cascade');
  });

  t.test("a connection's bad arguments are named as the caller wrote them, nested or not", async (t) => {
    const pathsOf = async (query: string) => {
      const answer = await gql(query, { p: ana });
      return [answer.errors?.[0]?.extensions.code, answer.errors?.[0]?.extensions.errors?.map((e) => e.path)];
    };
    t.same(await pathsOf('query { interviews(after: "forged") { totalCount } }'), ['BAD_USER_INPUT', ['after']]);
    t.same(await pathsOf('query ($p: UUID!) { person(id: $p) { interviews(after: "forged") { totalCount } } }'), ['BAD_USER_INPUT', ['after']]);
    t.same(await pathsOf('query ($p: UUID!) { person(id: $p) { relationships(first: 101) { totalCount } } }'), ['BAD_USER_INPUT', ['first']]);
    t.same(await pathsOf('query ($p: UUID!) { person(id: $p) { careerStrategies { nodes { revisions(after: "forged") { nodes { revision } } } } } }'), [
      'BAD_USER_INPUT',
      ['after'],
    ]);
    t.same(await pathsOf('query { interviews(filter: { from: "2026-12-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }) { totalCount } }'), ['BAD_USER_INPUT', ['filter.from']]);
    // A bad argument fails its own field; a sibling with good ones is answered.
    const mixed = await gql('query ($p: UUID!) { person(id: $p) { bad: relationships(first: 101) { totalCount } good: relationships(first: 1) { totalCount } } }', { p: ana });
    t.same(mixed.errors?.map((e) => e.path), [['person', 'bad']]);
    t.same(mixed.data, { person: null }, 'a non-null field failed: its parent is null, as GraphQL says');
    const mixedRevisions = await gql(
      'query ($p: UUID!) { person(id: $p) { careerStrategies { nodes { bad: revisions(after: "forged") { pageInfo { hasNextPage } } good: revisions(first: 1) { pageInfo { hasNextPage } } } } } }',
      { p: ana },
    );
    t.same(mixedRevisions.errors?.map((e) => e.path?.slice(-1)), [['bad']], 'revisions too');
  });

  t.test('a bad variable is the same BAD_USER_INPUT on every run, compiled by graphql-jit or not', async (t) => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['mutation ($i: CreateCareerStrategyInput!) { createCareerStrategy(input: $i) { careerStrategy { id } } }', { i: { personId: ana, goals: [{ description: 'x', targetDate: '2027-02-30' }] } }, 'variables.i.goals[0].targetDate'],
      ['query ($id: UUID!) { interview(id: $id) { id } }', { id: 'nope' }, 'variables.id'],
      // Not counted at its raw value by the cost rule: refused as the Int it is not.
      ['query ($n: Int) { interviews(first: $n) { totalCount } }', { n: 99_999_999_999 }, 'variables.n'],
    ];
    const before = (await rest('GET', '/v1/career-strategies?limit=100')).json().data.length;
    for (const [query, variables, path] of cases) {
      for (const run of [1, 2, 3]) {
        const res = await app.inject({ method: 'POST', url: '/graphql', headers: owner.auth, payload: { query, variables } });
        const body = res.json();
        t.same([res.statusCode, body.errors?.[0]?.extensions.code, body.errors?.[0]?.extensions.errors?.[0]?.path], [400, 'BAD_USER_INPUT', path], `run ${run}: ${path}`);
      }
    }
    t.equal((await rest('GET', '/v1/career-strategies?limit=100')).json().data.length, before, 'nothing was created');
  });

  t.test('another tenant sees none of it, directly or through a relation', async (t) => {
    const theirs = async (query: string) => gql(query, {}, other.auth);
    const direct = await theirs(`{ interview(id: "${interviewId}") { id } relationship(id: "${edge.id}") { id } interviews { totalCount } relationships { totalCount } careerStrategies { totalCount } }`);
    t.same(direct.data, { interview: null, relationship: null, interviews: { totalCount: 0 }, relationships: { totalCount: 0 }, careerStrategies: { totalCount: 0 } });
    const nested = await theirs(`{ person(id: "${foreignPerson}") { relationships(direction: BOTH) { totalCount } interviews(role: ANY) { totalCount } careerStrategies { totalCount } activeStrategy { id } } }`);
    t.same(nested.data, { person: { relationships: { totalCount: 0 }, interviews: { totalCount: 0 }, careerStrategies: { totalCount: 0 }, activeStrategy: null } });
    const change = await theirs(`mutation { completeInterview(id: "${interviewId}") { interview { id } } }`);
    t.equal(change.errors?.[0]?.extensions.code, 'NOT_FOUND');
    const remove = await theirs(`mutation { deleteRelationship(id: "${edge.id}") { deletedId } }`);
    t.equal(remove.errors?.[0]?.extensions.code, 'NOT_FOUND');
  });

  t.test('scopes: a read key queries but cannot run the lifecycle; a write-only key sees no record', async (t) => {
    const readOnly = { authorization: `Bearer ${await owner.mintKey(['read'])}` };
    const writeOnly = { authorization: `Bearer ${await owner.mintKey(['write'])}` };
    t.equal((await gql(`{ interviews { totalCount } }`, {}, readOnly)).data?.interviews.totalCount, 2);
    const move = `mutation { createInterview(input: { requesterId: "${ben}", intervieweeId: "${ref}" }) { interview { id } } }`;
    t.equal((await gql(move, {}, readOnly)).errors?.[0]?.extensions.code, 'FORBIDDEN');
    t.same((await gql(move, {}, writeOnly)).data, { createInterview: { interview: null } });
    t.equal((await gql(`{ relationships { totalCount } }`, {}, writeOnly)).errors?.[0]?.extensions.code, 'FORBIDDEN');
  });

  t.test("statements grow with the depth of the issue's query, never with its rows", async (t) => {
    // 50 organizations; in each of the first 10, two people who each gave an interview.
    const orgs = [acme.id, beta.id];
    for (let i = 2; i < 50; i++) orgs.push((await rest('POST', '/v1/organizations', { name: `Org ${i}` })).json().id);
    for (const org of orgs.slice(2, 12)) {
      for (let j = 0; j < 2; j++) {
        const id = await person(`Staff ${org.slice(0, 4)}-${j}`, { organizationId: org });
        await rest('POST', '/v1/interviews', { requesterId: ben, intervieweeId: id, organizationId: org });
      }
    }
    const query = `query ($n: Int) { organizations(first: $n) { nodes { people(first: 5) { nodes { interviews(role: ANY, first: 5) { nodes { interviewee { organization { name } } } } } } } } }`;
    const count = async (n: number) => {
      statements.length = 0;
      const answer = await gql(query, { n });
      t.notOk(answer.errors, JSON.stringify(answer.errors));
      const reads = statements.filter((sql) => /^\s*select/i.test(sql) && !/set_config/.test(sql));
      const interviews = (answer.data!.organizations.nodes as Json[]).flatMap((o) => o.people.nodes.flatMap((p: Json) => p.interviews.nodes));
      return { reads: reads.length, interviews: interviews.length };
    };
    const five = await count(5);
    const fifty = await count(50);
    t.ok(fifty.interviews > five.interviews, `more rows at 50 organizations (${five.interviews} and ${fifty.interviews} interviews)`);
    t.equal(fifty.reads, five.reads, `the same statements at 5 and at 50 organizations (${five.reads})`);
  });
});
