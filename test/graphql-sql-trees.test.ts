import t from 'tap';
import { sql } from 'drizzle-orm';
import { buildSchema, getNamedType, isLeafType, isObjectType, type GraphQLObjectType } from 'graphql';
import { readFileSync } from 'node:fs';
import { buildTestApp, restCaller, tenantWithKey } from './helpers/app.js';
import { freshDatabase } from './helpers/database.js';
import { graphqlCaller, type GqlAnswer } from './helpers/graphql.js';

type Test = Pick<typeof t, 'same'>;

// A to-many relation's whole selection read as one JSON tree built in SQL
// (src/graphql/sql-relations.ts, src/modules/shared/json-tree.ts) answers exactly what the
// loaders answer level by level: the same data, the same errors, for every relation, argument,
// fragment and field of every entity. Two apps over one database, one with the trees off.

const schema = buildSchema(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));
// Fields kept outside the entity's row (child lists), in another shape (goals) or computed from
// other tables (progress): never in a tree.
const NOT_COLUMNS = new Set(['referrals', 'goals', 'targetOrganizationIds', 'informedByInterviewIds', 'progress']);
const ENTITIES = new Set(['Person', 'Organization', 'Relationship', 'Interview', 'CareerStrategy', 'Opportunity', 'QuestionTemplate']);

/** Every field of an entity type that is no relation: leaves, and the objects stored inside it. */
function columnsOf(typeName: string): string {
  const type = schema.getType(typeName) as GraphQLObjectType;
  return Object.values(type.getFields())
    .flatMap((field) => {
      const named = getNamedType(field.type);
      if (NOT_COLUMNS.has(field.name) || field.args.length) return [];
      if (isLeafType(named)) return [field.name];
      if (isObjectType(named) && !ENTITIES.has(named.name) && !named.name.endsWith('Connection')) return [`${field.name} { ${columnsOf(named.name)} }`];
      return [];
    })
    .join(' ');
}

t.test('relations as one JSON tree answer what the loaders answer', async (t) => {
  const statements: string[] = [];
  const { database } = await freshDatabase(t, { onQuery: (text) => statements.push(text) });
  // Cost and depth bounds out of the way: these queries ask for everything, on a handful of rows.
  const bounds = { GRAPHQL_MAX_COST: '10000000', GRAPHQL_MAX_DEPTH: '30' };
  const trees = (await buildTestApp(t, bounds, database)).app;
  const levels = (await buildTestApp(t, { ...bounds, GRAPHQL_SQL_TREES: 'false' }, database)).app;
  const owner = await tenantWithKey(database);
  const rest = restCaller(trees, owner.auth);

  // Two organizations with three people each, people interviewing each other, relationships
  // both ways (one introduced), strategies, a person without organization.
  const post = async (path: string, body: Record<string, unknown>) => {
    const res = await rest('POST', path, body);
    t.equal(res.statusCode, 201, `${path}: ${res.body}`);
    return res.json() as { id: string };
  };
  const acme = await post('/v1/organizations', { name: 'Acme', size: '201-1000', industry: 'Robotics', tags: ['hardware'] });
  const beta = await post('/v1/organizations', { name: 'Beta' });
  const people: { id: string }[] = [];
  for (const [i, org] of [acme, acme, acme, beta, beta, beta].entries()) {
    people.push(await post('/v1/people', { fullName: `Person ${i}`, organizationId: org.id, roles: i % 2 ? ['student'] : ['professional', 'mentor'], emails: [`p${i}@example.com`], graduationYear: 2020 + i, tags: ['t'] }));
  }
  const loner = await post('/v1/people', { fullName: 'Lone Student', roles: ['student'] });
  for (const [i, [from, to]] of [[0, 3], [0, 4], [1, 3], [3, 0], [6, 0], [0, 6]].entries()) {
    await post('/v1/interviews', {
      requesterId: (people[from!] ?? loner).id,
      intervieweeId: (people[to!] ?? loner).id,
      organizationId: i % 2 ? null : beta.id,
      status: i % 3 ? 'scheduled' : 'completed',
      scheduledAt: '2026-11-26T10:30:00.123+01:00',
      occurredAt: i % 3 ? null : '2026-11-27T10:30:00Z',
      format: 'video',
      questions: [{ question: 'How did you start?' }, { question: 'What next?', answer: 'More.' }],
      insights: [{ text: 'Portfolios matter', category: 'advice' }, { text: 'Small teams' }],
      followUps: [{ action: 'Send thanks', dueAt: '2026-11-27T09:00:00Z' }],
      skillRatings: i % 2 ? { confidence: 3 } : null,
      tags: ['x'],
    });
  }
  await post('/v1/relationships', { personId: people[0]!.id, contactId: people[3]!.id, kind: 'mentor', source: 'interview' });
  await post('/v1/relationships', { personId: people[3]!.id, contactId: people[0]!.id, kind: 'colleague', introducedById: people[1]!.id });
  await post('/v1/relationships', { personId: loner.id, contactId: people[0]!.id, kind: 'mentor' });
  await post('/v1/career-strategies', { personId: people[0]!.id, title: 'Robotics', status: 'active', skills: ['ros'] });
  await post('/v1/career-strategies', { personId: people[0]!.id, title: 'Research' });
  // Opportunities: one from an interview by referral, one posted, and a template cited by a question.
  const template = await post('/v1/question-templates', { text: 'Whom should I meet next?', category: 'next_steps_and_referrals' });
  const fromChat = await post('/v1/interviews', { requesterId: people[1]!.id, intervieweeId: people[4]!.id, questions: [{ question: 'Whom next?', templateId: template.id }] });
  await post('/v1/opportunities', { seekerId: people[1]!.id, organizationId: beta.id, title: 'Hidden role', advertised: false, source: 'referral', referredById: people[4]!.id, sourceInterviewId: fromChat.id, status: 'offered', appliedAt: '2026-10-01T00:00:00.000001Z', tags: ['x'] });
  await post('/v1/opportunities', { seekerId: people[1]!.id, title: 'Posted role', advertised: true, source: 'posting', kind: 'job' });
  // A timestamp with microseconds at the edge of a millisecond: both ways must cut it as JavaScript does.
  await database.db.execute(sql`update interviews set occurred_at = '2026-01-02 03:04:05.999999+00' where status = 'completed'`);

  /** The same query through both apps: equal answers, and how many statements the trees made. */
  const compare = async (t: Test, query: string, variables: Record<string, unknown> = {}) => {
    const before = statements.length;
    const fromTrees: GqlAnswer = await graphqlCaller(trees, owner.auth)(query, variables);
    const treeStatements = statements.slice(before).filter((text) => text.includes('json_build_object')).length;
    const fromLevels: GqlAnswer = await graphqlCaller(levels, owner.auth)(query, variables);
    t.same(fromTrees, fromLevels, 'the same answer both ways');
    return { answer: fromTrees, treeStatements };
  };

  const PERSON = columnsOf('Person');
  const INTERVIEW = columnsOf('Interview');
  const RELATIONSHIP = columnsOf('Relationship');
  const ORGANIZATION = columnsOf('Organization');
  const STRATEGY = columnsOf('CareerStrategy');

  t.test('every field and relation of every entity, nested', async (t) => {
    const query = `{ organizations(first: 5) { nodes { ${ORGANIZATION}
      people(first: 10) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { ${PERSON}
        organization { ${ORGANIZATION} }
        out: relationships(direction: OUT) { nodes { ${RELATIONSHIP} person { id } contact { fullName organization { name } } introducedBy { fullName } } }
        in: relationships(direction: IN) { totalCount nodes { id contact { id } } }
        both: relationships(direction: BOTH, first: 1) { pageInfo { hasNextPage endCursor } nodes { id } }
        asked: interviews { nodes { ${INTERVIEW} requester { id } interviewee { ${PERSON} organization { name } } organization { ${ORGANIZATION} } } }
        gave: interviews(role: INTERVIEWEE) { nodes { id requester { fullName } } }
        any: interviews(role: ANY, first: 2) { totalCount pageInfo { hasNextPage } nodes { id } }
        careerStrategies { nodes { ${STRATEGY} person { fullName } } }
      } } }
      interviews(first: 3) { nodes { id status interviewee { fullName } } }
    } } }`;
    const { answer, treeStatements } = await compare(t, query);
    t.notOk(answer.errors, JSON.stringify(answer.errors));
    const orgs = (answer.data!.organizations as { nodes: { people: { edges: { node: { asked: { nodes: { occurredAt: string | null }[] } } }[] } }[] }).nodes;
    t.equal(orgs.length, 2);
    t.equal(orgs[0]!.people.edges.length, 3);
    t.ok(
      orgs.flatMap((o) => o.people.edges.flatMap((e) => e.node.asked.nodes)).some((i) => i.occurredAt === '2026-01-02T03:04:05.999Z'),
      'microseconds cut to milliseconds',
    );
    t.equal(treeStatements, 2, 'one tree per to-many relation of the root list (people, interviews)');
  });

  t.test('opportunities and question templates in trees: every field and relation', async (t) => {
    const OPPORTUNITY = columnsOf('Opportunity');
    const query = `{ organizations(first: 5) { nodes {
      opportunities { totalCount nodes { ${OPPORTUNITY} seeker { fullName } referredBy { fullName } organization { name } sourceInterview { id questions { question templateId template { text category } } } } }
      people(first: 10) { nodes { fullName
        opportunities { totalCount nodes { ${OPPORTUNITY} sourceInterview { opportunities { totalCount nodes { title } } } } }
        opportunitiesReferred { nodes { title seeker { fullName } } }
        interviews(role: ANY) { nodes { questions { templateId template { ${columnsOf('QuestionTemplate')} } } opportunities { nodes { title } } } }
      } } } } }`;
    const { answer } = await compare(t, query);
    t.notOk(answer.errors, JSON.stringify(answer.errors));
    const beta = (answer.data!.organizations as { nodes: { opportunities: { totalCount: number } }[] }).nodes[1]!;
    t.equal(beta.opportunities.totalCount, 1);
  });

  t.test('fragments, aliases, edges, pages after a cursor, __typename', async (t) => {
    const first = await compare(t, `{ organizations(first: 1) { nodes { people(first: 2) { pageInfo { endCursor } } } } }`);
    const after = (first.answer.data!.organizations as { nodes: { people: { pageInfo: { endCursor: string } } }[] }).nodes[0]!.people.pageInfo.endCursor;
    const query = `query ($after: String) { organizations(first: 2) { nodes { ...Org } } }
      fragment Org on Organization { __typename people(first: 2, after: $after) { __typename edges { __typename cursor node { ...P } } pageInfo { hasPreviousPage } } }
      fragment P on Person { __typename fullName ... on Person { org: organization { __typename name } } interviews(first: 1) { nodes { ... { status } } } }`;
    const { answer, treeStatements } = await compare(t, query, { after });
    t.notOk(answer.errors, JSON.stringify(answer.errors));
    t.equal(treeStatements, 1);
    const people = (answer.data!.organizations as { nodes: { people: { edges: { node: { fullName: string } }[] } }[] }).nodes[0]!.people.edges;
    t.same(people.map((e) => e.node.fullName), ['Person 2'], 'the page after the cursor');
  });

  t.test('cursors and counts of records whose id and createdAt are not selected', async (t) => {
    const query = `{ organizations { nodes { people { pageInfo { startCursor } nodes { fullName
      interviews(role: ANY) { totalCount edges { cursor } pageInfo { endCursor } nodes { status } }
      relationships(direction: BOTH) { totalCount } } } } } }`;
    const { answer, treeStatements } = await compare(t, query);
    t.notOk(answer.errors, JSON.stringify(answer.errors));
    t.equal(treeStatements, 1);
    t.match(JSON.stringify(answer.data), /"totalCount":3/, 'a count by the id the tree carried');
    t.match(JSON.stringify(answer.data), /"cursor":"[\w-]+"/, 'a cursor from the id and createdAt the tree carried');
  });

  t.test('what a tree cannot hold is answered by the loaders, the same', async (t) => {
    // [what, query, variables, the trees made below it]
    const cases: [string, string, Record<string, unknown>?, number?][] = [
      ['a child list kept in another table', `{ organizations { nodes { people { nodes { asked: interviews { nodes { referrals { personId } } } } } } } }`],
      ['goals, stored in another shape', `{ organizations { nodes { people { nodes { careerStrategies { nodes { goals { description } } } } } } } }`],
      ['a relation only the loaders read', `{ organizations { nodes { people { nodes { activeStrategy { title } } } } } }`],
      ['a directive', `query ($x: Boolean!) { organizations { nodes { people { nodes { fullName @include(if: $x) } } } } }`, { x: false }],
      // Not one tree for the people; each page of interviews is one, a level below.
      ['one key, two pages', `{ organizations { nodes { people { nodes { interviews(first: 1) { nodes { id } } } edges { node { interviews(first: 2) { nodes { id } } } } } } } }`, {}, 2],
    ];
    for (const [what, query, variables, below = 0] of cases) {
      const { answer, treeStatements } = await compare(t, query, variables);
      t.notOk(answer.errors, `${what}: ${JSON.stringify(answer.errors)}`);
      t.equal(treeStatements, below, what);
    }
  });

  t.test('a bad argument below is the same error on the same field', async (t) => {
    for (const query of [
      `{ organizations { nodes { name people { nodes { interviews(first: 500) { nodes { id } } } } } } }`,
      `{ organizations { nodes { name people { nodes { relationships(after: "nope") { nodes { id } } } } } } }`,
    ]) {
      const { answer } = await compare(t, query);
      t.equal(answer.errors?.[0]?.extensions.code, 'BAD_USER_INPUT');
    }
  });

  t.test('a tree stays in its tenant', async (t) => {
    const other = await tenantWithKey(database, 'Other Center');
    const theirs = await graphqlCaller(trees, other.auth)(`{ organizations { nodes { people { nodes { id } } } } }`);
    t.same(theirs.data, { organizations: { nodes: [] } });
    const org = (await restCaller(trees, other.auth)('POST', '/v1/organizations', { name: 'Theirs' })).json() as { id: string };
    await restCaller(trees, other.auth)('POST', '/v1/people', { fullName: 'Their person', organizationId: org.id });
    const mine = await graphqlCaller(trees, other.auth)(`{ organizations { nodes { name people { nodes { fullName } } } } }`);
    t.same(mine.data, { organizations: { nodes: [{ name: 'Theirs', people: { nodes: [{ fullName: 'Their person' }] } }] } });
    const ours = await compare(t, `{ organizations { nodes { name people { nodes { fullName } } } } }`);
    t.notMatch(JSON.stringify(ours.answer), /Their person/);
    t.equal(ours.treeStatements, 1);
  });
});
