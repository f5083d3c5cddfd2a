import t from 'tap';
import { getNamedType, isEnumType, isInputObjectType, isNonNullType, isObjectType } from 'graphql';
import { organizationSizes } from '../src/db/schema/index.js';
import { Organization, OrganizationInput, OrganizationListQuery } from '../src/modules/organizations/organizations.schemas.js';
import { OrganizationSizeEnum } from '../src/modules/organizations/organizations.resolvers.js';
import { buildTestApp, restCaller, tenantWithKey } from './helpers/app.js';
import { graphqlCaller, holdsTo, inputsHoldTo } from './helpers/graphql.js';

// Organizations over GraphQL: the same service as REST, the same records, the same filters
// and cursors; bounds refused with a code, never capped; another tenant's records are null.

const FIELDS = 'id externalId createdAt updatedAt version name website industry size location description tags';

t.test('organizations in GraphQL', async (t) => {
  const { app, database } = await buildTestApp(t);
  const owner = await tenantWithKey(database);
  const other = await tenantWithKey(database, 'Other Center');
  const rest = restCaller(app, owner.auth);
  const gql = graphqlCaller(app, owner.auth);

  const specs = [
    { name: 'Acme Robotics', externalId: 'org-1', size: '201-1000', industry: 'Robotics', tags: ['internships'], website: 'https://acme.example.com' },
    { name: 'Acme Foods', externalId: 'org-2', size: '5001+', industry: 'Food', tags: [] },
    { name: 'Beta Labs', externalId: 'org-3', size: '1-10', industry: 'Robotics', tags: ['internships', 'alumni'] },
    { name: 'Gamma Health', size: null, industry: 'Health', tags: ['alumni'] },
    { name: 'Delta Works', externalId: "o'brien & co", size: '11-50', tags: [] },
    { name: 'Epsilon', size: '51-200', tags: [] },
    { name: 'Zeta Systems', size: '1001-5000', tags: ['internships'] },
  ];
  const created: Record<string, unknown>[] = [];
  for (const spec of specs) {
    const res = await rest('POST', '/v1/organizations', spec);
    t.equal(res.statusCode, 201);
    created.push(res.json());
  }
  const elsewhere = (await restCaller(app, other.auth)('POST', '/v1/organizations', { name: 'Elsewhere Inc', externalId: 'org-1' })).json();
  // REST's record, as GraphQL names its values.
  const asGraphql = (record: Record<string, unknown>) => ({ ...record, size: OrganizationSizeEnum.out(record.size as never) });

  t.test('by ID and by external ID: the record REST returns', async (t) => {
    const first = created[0] as { id: string };
    const answer = await gql(`query ($id: UUID!) { organization(id: $id) { ${FIELDS} } }`, { id: first.id.toUpperCase() });
    t.same(answer.data!.organization, asGraphql((await rest('GET', `/v1/organizations/${first.id}`)).json()), 'an upper-case UUID is the same ID');
    const byExternal = await gql(`{ a: organizationByExternalId(externalId: "o'brien & co") { name size } b: organizationByExternalId(externalId: "nope") { name } }`);
    t.same(byExternal.data, { a: { name: 'Delta Works', size: 'SIZE_11_50' }, b: null });
  });

  t.test("another tenant's records are null, by either ID", async (t) => {
    const answer = await gql(`query ($id: UUID!) { organization(id: $id) { name } organizationByExternalId(externalId: "org-1") { name } }`, {
      id: (elsewhere as { id: string }).id,
    });
    t.same(answer.data, { organization: null, organizationByExternalId: { name: 'Acme Robotics' } });
    t.notOk(answer.errors);
  });

  t.test("another tenant's records cannot be changed or deleted: NOT_FOUND, as if missing", async (t) => {
    const id = (elsewhere as { id: string }).id;
    const update = await gql(`mutation ($id: UUID!) { updateOrganization(id: $id, input: { name: "Mine now" }) { organization { id } } }`, { id });
    t.equal(update.errors?.[0]?.extensions.code, 'NOT_FOUND');
    const remove = await gql(`mutation ($id: UUID!) { deleteOrganization(id: $id, cascade: true) { deletedId } }`, { id });
    t.equal(remove.errors?.[0]?.extensions.code, 'NOT_FOUND');
    const same = `{ name: "Acme Robotics", externalId: "org-1", size: SIZE_201_1000, industry: "Robotics", tags: ["internships"], website: "https://acme.example.com" }`;
    const upsert = await gql(`mutation { upsertOrganizationByExternalId(externalId: "org-1", input: ${same}) { created organization { id version } } }`);
    t.same(
      upsert.data,
      { upsertOrganizationByExternalId: { created: false, organization: { id: (created[0] as { id: string }).id, version: 1 } } },
      'an external ID names a record of your own tenant only (here, unchanged)',
    );
    const theirs = (await restCaller(app, other.auth)('GET', `/v1/organizations/${id}`)).json();
    t.match(theirs, { name: 'Elsewhere Inc', version: 1 }, 'untouched');
  });

  t.test('a connection walks every record in REST order, with cursors REST accepts', async (t) => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const answer = await gql(
        `query ($after: String) { organizations(first: 3, after: $after) { totalCount edges { cursor node { id } } nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`,
        { after },
      );
      const connection = answer.data!.organizations as {
        totalCount: number;
        edges: { cursor: string; node: { id: string } }[];
        nodes: { id: string }[];
        pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
      };
      pages++;
      t.equal(connection.totalCount, specs.length, 'totalCount counts every page');
      t.same(connection.nodes.map((n) => n.id), connection.edges.map((e) => e.node.id), 'nodes are the edges’ nodes');
      t.equal(connection.pageInfo.hasPreviousPage, after !== null);
      t.equal(connection.pageInfo.startCursor, connection.edges[0]?.cursor ?? null);
      t.equal(connection.pageInfo.endCursor, connection.edges.at(-1)?.cursor ?? null);
      seen.push(...connection.nodes.map((n) => n.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
      // The same cursor continues a REST list from the same place.
      const restPage = (await rest('GET', `/v1/organizations?limit=3&cursor=${encodeURIComponent(after!)}`)).json() as { data: { id: string }[] };
      t.same(restPage.data.map((r) => r.id), created.slice(seen.length, seen.length + 3).map((r) => r.id), 'REST takes the GraphQL cursor');
    }
    t.equal(pages, 3);
    t.same(seen, created.map((r) => r.id), 'every record once, oldest first');
  });

  t.test('filters mirror the REST list, and totalCount follows them', async (t) => {
    const names = async (filter: Record<string, unknown>) => {
      const answer = await gql(`query ($filter: OrganizationFilter) { organizations(filter: $filter) { totalCount nodes { name } } }`, { filter });
      t.notOk(answer.errors, JSON.stringify(answer.errors));
      const connection = answer.data!.organizations as { totalCount: number; nodes: { name: string }[] };
      t.equal(connection.totalCount, connection.nodes.length, `totalCount of ${JSON.stringify(filter)}`);
      return connection.nodes.map((n) => n.name);
    };
    t.same(await names({ q: 'acme' }), ['Acme Robotics', 'Acme Foods']);
    t.same(await names({ tag: 'internships', industry: 'Robotics' }), ['Acme Robotics', 'Beta Labs']);
    t.same(await names({ externalId: 'org-3' }), ['Beta Labs']);
    t.same(await names({ updatedSince: '2999-01-01T00:00:00Z' }), []);
    t.same(await names({ updatedSince: '2000-01-01T00:00:00+02:00', q: 'z' }), ['Zeta Systems']);
    t.same(await names({ q: null }), specs.map((s) => s.name), 'a null filter field is no filter');
  });

  t.test('bad arguments are BAD_USER_INPUT naming what is wrong; nothing is capped', async (t) => {
    for (const first of [0, -1, 101, 1000]) {
      const answer = await gql(`query ($first: Int) { organizations(first: $first) { totalCount } }`, { first });
      t.equal(answer.errors?.[0]?.extensions.code, 'BAD_USER_INPUT', `first: ${first}`);
      t.match(answer.errors?.[0]?.extensions.errors, [{ path: 'first' }]);
    }
    const cursor = await gql(`{ organizations(after: "not-a-cursor") { totalCount } }`);
    t.equal(cursor.errors?.[0]?.extensions.code, 'BAD_USER_INPUT', 'a cursor this API did not give out');
    // A bad scalar in the document fails validation; in the variables, it is the caller's input.
    const id = await gql(`{ organization(id: "42") { name } }`);
    t.equal(id.errors?.[0]?.extensions.code, 'GRAPHQL_VALIDATION_FAILED', 'an ID literal that is not a UUID');
    const idVariable = await gql(`query ($id: UUID!) { organization(id: $id) { name } }`, { id: '42' });
    t.equal(idVariable.errors?.[0]?.extensions.code, 'BAD_USER_INPUT', 'an ID variable that is not a UUID');
    t.match(idVariable.errors?.[0]?.message, /UUID must be a UUID/);
    t.match(idVariable.errors?.[0]?.extensions.errors, [{ path: 'variables.id', message: 'UUID must be a UUID.' }]);
    const nested = await gql(`query ($f: OrganizationFilter) { organizations(filter: $f) { totalCount } }`, { f: { updatedSince: 'soon' } });
    t.match(nested.errors?.[0]?.extensions, { code: 'BAD_USER_INPUT', errors: [{ path: 'variables.f.updatedSince' }] });
    const typed = await gql(`query ($n: Int) { organizations(first: $n) { totalCount } }`, { n: 'ten' });
    t.match(typed.errors?.[0]?.extensions, { code: 'BAD_USER_INPUT', errors: [{ path: 'variables.n' }] });
    const since = await gql(`{ organizations(filter: { updatedSince: "yesterday" }) { totalCount } }`);
    t.equal(since.errors?.[0]?.extensions.code, 'GRAPHQL_VALIDATION_FAILED', 'a DateTime literal that is not one');
    const sinceVariable = await gql(`query ($s: DateTime) { organizations(filter: { updatedSince: $s }) { totalCount } }`, { s: 'yesterday' });
    t.equal(sinceVariable.errors?.[0]?.extensions.code, 'BAD_USER_INPUT', 'a DateTime variable that is not one');
    const tooLong = await gql(`query ($q: String) { organizations(filter: { q: $q }) { totalCount } }`, { q: 'x'.repeat(201) });
    t.equal(tooLong.errors?.[0]?.extensions.code, 'BAD_USER_INPUT', 'a filter REST would refuse');
    const size = await gql(`{ organizations { nodes { size(x: 1) } } }`);
    t.equal(size.errors?.[0]?.extensions.code, 'GRAPHQL_VALIDATION_FAILED');
  });

  t.test('mutations: the same service, rules and errors as REST', async (t) => {
    const create = await gql(`mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { organization { ${FIELDS} } } }`, {
      input: { name: 'Theta Robotics', size: 'SIZE_201_1000', tags: ['robotics', 'robotics'], website: 'https://theta.example.com' },
    });
    t.notOk(create.errors, JSON.stringify(create.errors));
    const made = (create.data!.createOrganization as { organization: { id: string; version: number } }).organization;
    const stored = (await rest('GET', `/v1/organizations/${made.id}`)).json();
    t.same(made, asGraphql(stored), 'the record REST reads back');
    t.equal(stored.size, '201-1000', 'stored as REST names it');
    t.same(stored.tags, ['robotics'], 'the same parse as REST (duplicates dropped)');

    const invalid = await gql(`mutation { createOrganization(input: { name: "  " }) { organization { id } } }`);
    t.equal(invalid.errors?.[0]?.extensions.code, 'BAD_USER_INPUT');
    t.match(invalid.errors?.[0]?.extensions.errors, [{ path: 'input.name' }], 'named where the caller wrote it');

    const update = `mutation ($id: UUID!, $input: UpdateOrganizationInput!, $v: Int) { updateOrganization(id: $id, input: $input, expectedVersion: $v) { organization { name website industry version } } }`;
    const changed = await gql(update, { id: made.id, input: { industry: 'Robotics', website: null }, v: 1 });
    t.same(changed.data!.updateOrganization, { organization: { name: 'Theta Robotics', website: null, industry: 'Robotics', version: 2 } }, 'a merge: null clears, absent keeps');
    const stale = await gql(update, { id: made.id, input: { name: 'Late' }, v: 1 });
    t.equal(stale.errors?.[0]?.extensions.code, 'CONFLICT', 'a stale expectedVersion');
    t.equal((await rest('GET', `/v1/organizations/${made.id}`)).json().name, 'Theta Robotics', 'and nothing changed');
    const missing = await gql(update, { id: '00000000-0000-4000-8000-000000000000', input: { name: 'x' } });
    t.equal(missing.errors?.[0]?.extensions.code, 'NOT_FOUND');

    const upsert = `mutation ($input: CreateOrganizationInput!) { upsertOrganizationByExternalId(externalId: "sis-77", input: $input) { created organization { name version } } }`;
    t.same((await gql(upsert, { input: { name: 'Iota' } })).data!.upsertOrganizationByExternalId, { created: true, organization: { name: 'Iota', version: 1 } });
    t.same((await gql(upsert, { input: { name: 'Iota' } })).data!.upsertOrganizationByExternalId, { created: false, organization: { name: 'Iota', version: 1 } }, 'the same again changes nothing');
    t.same((await gql(upsert, { input: { name: 'Iota Labs' } })).data!.upsertOrganizationByExternalId, { created: false, organization: { name: 'Iota Labs', version: 2 } });

    const employed = await rest('POST', '/v1/people', { fullName: 'Works There', organizationId: made.id });
    const remove = `mutation ($id: UUID!, $cascade: Boolean) { deleteOrganization(id: $id, cascade: $cascade) { deletedId } }`;
    const refused = await gql(remove, { id: made.id });
    t.equal(refused.errors?.[0]?.extensions.code, 'CONFLICT', 'people refer to it');
    t.match(refused.errors?.[0]?.extensions, { dependents: { people: 1 } });
    t.same((await gql(remove, { id: made.id, cascade: true })).data, { deleteOrganization: { deletedId: made.id } });
    t.equal((await rest('GET', `/v1/people/${employed.json().id}`)).json().organizationId, null, 'the reference cleared');
    t.same((await gql(`query ($id: UUID!) { organization(id: $id) { id } }`, { id: made.id })).data, { organization: null });
  });

  t.test('scopes: a read key cannot mutate; a write-only key gets no record back; GET never mutates', async (t) => {
    const readOnly = { authorization: `Bearer ${await owner.mintKey(['read'])}` };
    const writeOnly = { authorization: `Bearer ${await owner.mintKey(['write'])}` };
    const mutation = `mutation { createOrganization(input: { name: "Scoped" }) { organization { id } } }`;
    t.equal((await gql(mutation, {}, readOnly)).errors?.[0]?.extensions.code, 'FORBIDDEN');
    const blind = await gql(mutation, {}, writeOnly);
    t.same(blind.data, { createOrganization: { organization: null } }, 'written, not shown');
    const before = (await gql(`{ organizations(filter: { q: "scoped" }) { totalCount } }`)).data;
    const viaGet = await app.inject({ method: 'GET', url: `/graphql?query=${encodeURIComponent(mutation)}`, headers: owner.auth });
    t.not(viaGet.statusCode, 200, 'a mutation over GET is refused');
    t.same((await gql(`{ organizations(filter: { q: "scoped" }) { totalCount } }`)).data, before, 'and ran nothing');
  });

  t.test('a key without read is FORBIDDEN', async (t) => {
    const writeOnly = { authorization: `Bearer ${await owner.mintKey(['write'])}` };
    const answer = await gql(`{ organizations { totalCount } }`, {}, writeOnly);
    t.equal(answer.errors?.[0]?.extensions.code, 'FORBIDDEN');
    const one = await gql(`query ($id: UUID!) { organization(id: $id) { name } }`, { id: (created[0] as { id: string }).id }, writeOnly);
    t.equal(one.errors?.[0]?.extensions.code, 'FORBIDDEN');
  });
});

t.test('the SDL says what the zod schemas say', async (t) => {
  const { app } = await buildTestApp(t);
  const schema = app.graphqlSchema;
  holdsTo(t, schema, 'Organization', Organization.shape);
  const size = schema.getType('OrganizationSize');
  if (!isEnumType(size)) throw new Error('no OrganizationSize enum');
  t.same(size.getValues().map((v) => v.name), organizationSizes.map((s) => OrganizationSizeEnum.out(s)), 'a name for every size, in order');
  t.same(organizationSizes.map((s) => OrganizationSizeEnum.in(OrganizationSizeEnum.out(s)!)), [...organizationSizes], 'and back');
  const filter = schema.getType('OrganizationFilter');
  if (!isInputObjectType(filter)) throw new Error('no OrganizationFilter input');
  inputsHoldTo(t, schema, ['CreateOrganizationInput', 'UpdateOrganizationInput'], OrganizationInput.shape);
  const listFields = Object.keys(OrganizationListQuery.shape).filter((k) => k !== 'limit' && k !== 'cursor');
  t.same(Object.keys(filter.getFields()).sort(), listFields.sort(), 'the filter is the REST list query without limit and cursor');
  for (const field of Object.values(filter.getFields())) t.notOk(isNonNullType(field.type), `${field.name} is optional, as in REST`);
  const type = schema.getType('Organization');
  if (!isObjectType(type)) throw new Error('no Organization type');
  t.equal(getNamedType(type.getFields().website!.type).name, 'URL');
  t.equal(getNamedType(type.getFields().id!.type).name, 'UUID');
});
