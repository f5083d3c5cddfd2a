import t from 'tap';
import { isEnumType, isInputObjectType, parse } from 'graphql';
import { documentCost } from '../src/graphql/limits.js';
import { personRoles } from '../src/db/schema/index.js';
import { Organization } from '../src/modules/organizations/organizations.schemas.js';
import { Person, PersonInput, PersonListQuery } from '../src/modules/people/people.schemas.js';
import { PersonRoleEnum } from '../src/modules/people/people.resolvers.js';
import { buildTestApp, restCaller, tenantWithKey } from './helpers/app.js';
import { freshDatabase } from './helpers/database.js';
import { graphqlCaller, holdsTo, inputsHoldTo } from './helpers/graphql.js';

// People over GraphQL, and the relations between people and organizations: batched per
// request, so a query's statements grow with its depth, never with its rows.

const PERSON =
  'id externalId createdAt updatedAt version fullName preferredName pronouns emails phone location headline linkedinUrl roles program graduationYear organizationId title tags doNotContact notes';

t.test('people and their organizations in GraphQL', async (t) => {
  const statements: string[] = [];
  const { database } = await freshDatabase(t, { onQuery: (sql) => statements.push(sql) });
  const { app } = await buildTestApp(t, {}, database);
  const owner = await tenantWithKey(database);
  const other = await tenantWithKey(database, 'Other Center');
  const rest = restCaller(app, owner.auth);
  const gql = graphqlCaller(app, owner.auth);

  // 50 organizations; the first 10 employ 4 people each, one of whom is also a mentor.
  const orgs: { id: string; name: string }[] = [];
  for (let i = 0; i < 50; i++) orgs.push((await rest('POST', '/v1/organizations', { name: `Org ${String(i).padStart(2, '0')}` })).json());
  const staff = new Map<string, string[]>();
  for (const [i, org] of orgs.slice(0, 10).entries()) {
    for (let j = 0; j < 4; j++) {
      const res = await rest('POST', '/v1/people', {
        fullName: `Pro ${i}-${j}`,
        externalId: `pro-${i}-${j}`,
        organizationId: org.id,
        roles: j === 0 ? ['professional', 'mentor'] : ['professional'],
        linkedinUrl: j === 0 ? `https://www.linkedin.com/in/pro-${i}` : null,
      });
      staff.set(org.id, [...(staff.get(org.id) ?? []), res.json().id]);
    }
  }
  const student = (await rest('POST', '/v1/people', { fullName: 'Ana Student', roles: ['student'], emails: ['Ana@Example.edu'] })).json();
  const foreign = (await restCaller(app, other.auth)('POST', '/v1/people', { fullName: 'Elsewhere', externalId: 'pro-0-0' })).json();

  t.test('a person is the record REST returns, with its organization', async (t) => {
    const id = staff.get(orgs[0]!.id)![0]!;
    const answer = await gql(`query ($id: UUID!) { person(id: $id) { ${PERSON} organization { id name } } }`, { id });
    const record = (await rest('GET', `/v1/people/${id}`)).json();
    t.same(answer.data!.person, { ...record, roles: ['PROFESSIONAL', 'MENTOR'], organization: { id: orgs[0]!.id, name: 'Org 00' } });
    const byExternal = await gql(`{ personByExternalId(externalId: "pro-1-2") { fullName } }`);
    t.same(byExternal.data, { personByExternalId: { fullName: 'Pro 1-2' } });
    const none = await gql(`query ($id: UUID!) { person(id: $id) { fullName organization { name } } }`, { id: student.id });
    t.same(none.data, { person: { fullName: 'Ana Student', organization: null } }, 'no employer: null');
  });

  t.test("another tenant's people are null, and never reached through a relation", async (t) => {
    const answer = await gql(`query ($id: UUID!) { person(id: $id) { fullName } personByExternalId(externalId: "pro-0-0") { fullName } }`, { id: foreign.id });
    t.same(answer.data, { person: null, personByExternalId: { fullName: 'Pro 0-0' } });
    const theirs = await gql(`{ organizations(first: 50) { nodes { people(first: 10) { nodes { id } } } } }`, {}, other.auth);
    t.notOk(theirs.errors, JSON.stringify(theirs.errors));
    t.same((theirs.data!.organizations as { nodes: unknown[] }).nodes, [], 'the other tenant sees none of these organizations');
  });

  t.test('filters mirror the REST list', async (t) => {
    const names = async (filter: Record<string, unknown>) => {
      const answer = await gql(`query ($f: PersonFilter) { people(first: 100, filter: $f) { totalCount nodes { fullName } } }`, { f: filter });
      t.notOk(answer.errors, JSON.stringify(answer.errors));
      const connection = answer.data!.people as { totalCount: number; nodes: { fullName: string }[] };
      t.equal(connection.totalCount, connection.nodes.length);
      return connection.nodes.map((n) => n.fullName);
    };
    t.same(await names({ role: 'MENTOR', q: 'pro 1' }), ['Pro 1-0']);
    t.same(await names({ organizationId: orgs[2]!.id }), ['Pro 2-0', 'Pro 2-1', 'Pro 2-2', 'Pro 2-3']);
    t.same(await names({ role: 'STUDENT' }), ['Ana Student']);
    const bad = await gql(`{ people(filter: { role: CEO }) { totalCount } }`);
    t.equal(bad.errors?.[0]?.extensions.code, 'GRAPHQL_VALIDATION_FAILED', 'a role that is not one');
  });

  t.test("an organization's people: pages of their own, counted per organization", async (t) => {
    const query = `query ($after: String) { organizations(first: 3) { nodes { id people(first: 3, after: $after) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } } } }`;
    const first = await gql(query);
    const pages = (first.data!.organizations as { nodes: { id: string; people: { totalCount: number; nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }[] }).nodes;
    for (const org of pages) {
      t.equal(org.people.totalCount, 4);
      t.same(org.people.nodes.map((n) => n.id), staff.get(org.id)!.slice(0, 3));
      t.equal(org.people.pageInfo.hasNextPage, true);
    }
    // The next page of the first organization, by its end cursor.
    const cursor = pages[0]!.people.pageInfo.endCursor;
    const next = await gql(`query ($id: UUID!, $after: String) { organization(id: $id) { people(first: 3, after: $after) { nodes { id } pageInfo { hasNextPage hasPreviousPage } } } }`, {
      id: pages[0]!.id,
      after: cursor,
    });
    t.same(next.data!.organization, { people: { nodes: [{ id: staff.get(pages[0]!.id)![3] }], pageInfo: { hasNextPage: false, hasPreviousPage: true } } });
    const tooMany = await gql(`{ organizations(first: 2) { nodes { people(first: 101) { totalCount } } } }`);
    t.equal(tooMany.errors?.[0]?.extensions.code, 'BAD_USER_INPUT', 'a nested first over 100 is refused too');
  });

  t.test('statements grow with the depth of a query, never with its rows', async (t) => {
    const query = `query ($n: Int) { organizations(first: $n) { totalCount nodes { name people(first: 5) { totalCount nodes { fullName organization { name people(first: 2) { nodes { fullName } } } } } } } }`;
    const count = async (n: number) => {
      statements.length = 0;
      const answer = await gql(query, { n });
      t.notOk(answer.errors, JSON.stringify(answer.errors));
      // The reads of records (the tenant transaction's own statements aside).
      const reads = statements.filter((sql) => /\bfrom "(people|organizations)"/.test(sql));
      return { statements: reads.length, organizations: (answer.data!.organizations as { nodes: unknown[] }).nodes.length };
    };
    const five = await count(5);
    const fifty = await count(50);
    t.equal(five.organizations, 5);
    t.equal(fifty.organizations, 50);
    t.equal(fifty.statements, five.statements, `the same statements for 5 and 50 organizations (${five.statements})`);
    t.equal(five.statements, 4, 'the list, its count, the people with all below them as one JSON tree, their count');
  });

  t.test('person mutations: the same service and rules as REST', async (t) => {
    const create = `mutation ($input: CreatePersonInput!) { createPerson(input: $input) { person { ${PERSON} organization { name } } } }`;
    const made = await gql(create, {
      input: { fullName: 'Cy Changer', roles: ['ALUMNUS', 'MENTOR'], emails: ['Cy@Example.COM', 'cy@example.com'], organizationId: orgs[1]!.id.toUpperCase(), graduationYear: 2019 },
    });
    t.notOk(made.errors, JSON.stringify(made.errors));
    const person = (made.data!.createPerson as { person: Record<string, unknown> & { id: string } }).person;
    const stored = (await rest('GET', `/v1/people/${person.id}`)).json();
    t.same(person, { ...stored, roles: ['ALUMNUS', 'MENTOR'], organization: { name: 'Org 01' } }, 'the record REST reads back');
    t.same(stored.emails, ['cy@example.com'], 'parsed as REST parses');
    t.same(stored.roles, ['alumnus', 'mentor']);

    const foreignOrg = (await restCaller(app, other.auth)('POST', '/v1/organizations', { name: 'Theirs' })).json();
    const crossTenant = await gql(create, { input: { fullName: 'Nope', organizationId: foreignOrg.id } });
    t.equal(crossTenant.errors?.[0]?.extensions.code, 'BAD_USER_INPUT', "another tenant's organization is an unknown one");
    t.match(crossTenant.errors?.[0]?.extensions.errors, [{ path: 'input.organizationId' }]);
    const several = await gql(create, { input: { fullName: '', graduationYear: 1800, emails: ['not-an-email'] } });
    t.same(
      several.errors?.[0]?.extensions.errors?.map((e) => e.path).sort(),
      ['input.emails.0', 'input.fullName', 'input.graduationYear'],
      'every problem at once, each where it was written',
    );

    const update = `mutation ($id: UUID!, $input: UpdatePersonInput!, $v: Int) { updatePerson(id: $id, input: $input, expectedVersion: $v) { person { title organizationId roles version } } }`;
    const changed = await gql(update, { id: person.id, input: { title: 'Engineer', organizationId: null, roles: ['PROFESSIONAL'] }, v: 1 });
    t.same(changed.data!.updatePerson, { person: { title: 'Engineer', organizationId: null, roles: ['PROFESSIONAL'], version: 2 } });
    t.equal((await gql(update, { id: person.id, input: { title: 'x' }, v: 1 })).errors?.[0]?.extensions.code, 'CONFLICT');

    const upsert = `mutation ($input: CreatePersonInput!) { upsertPersonByExternalId(externalId: "stu-9", input: $input) { created person { fullName version } } }`;
    t.same((await gql(upsert, { input: { fullName: 'Dee' } })).data!.upsertPersonByExternalId, { created: true, person: { fullName: 'Dee', version: 1 } });
    t.same((await gql(upsert, { input: { fullName: 'Dee' } })).data!.upsertPersonByExternalId, { created: false, person: { fullName: 'Dee', version: 1 } });

    await rest('POST', '/v1/relationships', { personId: student.id, contactId: person.id, kind: 'mentor' });
    const remove = `mutation ($id: UUID!, $cascade: Boolean) { deletePerson(id: $id, cascade: $cascade) { deletedId } }`;
    const refused = await gql(remove, { id: person.id });
    t.equal(refused.errors?.[0]?.extensions.code, 'CONFLICT');
    t.match(refused.errors?.[0]?.extensions, { dependents: { relationships: 1 } });
    t.same((await gql(remove, { id: person.id, cascade: true })).data, { deletePerson: { deletedId: person.id } });
    t.equal((await rest('GET', `/v1/people/${person.id}`)).statusCode, 404);
  });

  t.test('the SDL says what the zod schemas say', async (t) => {
    const schema = app.graphqlSchema;
    holdsTo(t, schema, 'Person', Person.shape);
    holdsTo(t, schema, 'Organization', Organization.shape);
    const roles = schema.getType('PersonRole');
    if (!isEnumType(roles)) throw new Error('no PersonRole enum');
    t.same(roles.getValues().map((v) => v.name), personRoles.map((r) => PersonRoleEnum.out(r)));
    inputsHoldTo(t, schema, ['CreatePersonInput', 'UpdatePersonInput'], PersonInput.shape);
    const filter = schema.getType('PersonFilter');
    if (!isInputObjectType(filter)) throw new Error('no PersonFilter input');
    t.same(Object.keys(filter.getFields()).sort(), Object.keys(PersonListQuery.shape).filter((k) => k !== 'limit' && k !== 'cursor').sort());
  });
});

t.test('the cost bound counts a connection\'s first times its children, through fragments too', async (t) => {
  const { app: probe } = await buildTestApp(t);
  const deep = `{ organizations(first: 100) { nodes { people(first: 100) { nodes { organization { people(first: 100) { nodes { id } } } } } } } }`;
  const viaFragments = `query { organizations(first: 20) { ...Org } } fragment Org on OrganizationConnection { nodes { people(first: 30) { ...People } } } fragment People on PersonConnection { totalCount nodes { fullName } }`;
  const cost = (query: string) => documentCost(probe.graphqlSchema, parse(query), {});
  t.ok(cost(deep) > 20_000, `the issue's 100 x 100 x 100 example costs ${cost(deep)}`);
  const atDefault = await probe.inject({ method: 'POST', url: '/graphql', headers: (await tenantWithKey(probe.database)).auth, payload: { query: deep } });
  t.equal(atDefault.statusCode, 400);
  t.equal(atDefault.json().errors[0].extensions.code, 'GRAPHQL_VALIDATION_FAILED', 'refused before any resolver runs');
  const fragmentCost = cost(viaFragments);
  t.equal(fragmentCost, 1 + 20 * (1 + 1 + 30 * (1 + 1 + 1)), 'fragments are counted where they are spread');
  for (const [limit, accepted] of [[fragmentCost, true], [fragmentCost - 1, false]] as const) {
    const { app, database } = await buildTestApp(t, { GRAPHQL_MAX_COST: String(limit) });
    const res = await app.inject({ method: 'POST', url: '/graphql', headers: (await tenantWithKey(database)).auth, payload: { query: viaFragments } });
    t.equal(res.statusCode, accepted ? 200 : 400, `cost ${fragmentCost} with GRAPHQL_MAX_COST=${limit}`);
    if (!accepted) t.match(res.json().errors[0].message, new RegExp(`costs ${fragmentCost}`));
  }
});

