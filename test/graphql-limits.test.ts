import tap from 'tap';
import { buildSchema, parse } from 'graphql';
import { z } from 'zod';
import { documentCost, LIST_SIZES } from '../src/graphql/limits.js';
import { CareerStrategyInput } from '../src/modules/career-strategies/career-strategies.schemas.js';
import { InterviewInput } from '../src/modules/interviews/interviews.schemas.js';
import { buildTestApp, tenantWithKey } from './helpers/app.js';

type Tap = Pick<typeof tap, 'equal' | 'match'>;

// The bounds of api.md, each refused with a 400 GRAPHQL_VALIDATION_FAILED before any resolver
// runs; the request errors each with its own code and status.

const code = (res: { json(): { errors: { extensions: { code: string } }[] } }) => res.json().errors[0]!.extensions.code;

tap.test('GraphQL bounds, at their defaults', async (t) => {
  const { app, database } = await buildTestApp(t);
  const { auth } = await tenantWithKey(database);
  const gql = (payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/graphql', headers: { ...auth, ...headers }, payload: payload as object });
  // Count the tenant reads behind the resolvers (the service object the resolvers hold).
  let tenantReads = 0;
  const tenants = app.services.tenants;
  const current = tenants.current.bind(tenants);
  tenants.current = (ctx) => {
    tenantReads++;
    return current(ctx);
  };
  const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: viewer { tenant { id } }`).join(' ')} }`;
  const refused = (t: Tap, res: Awaited<ReturnType<typeof gql>>, message: RegExp, label: string) => {
    t.equal(res.statusCode, 400, label);
    t.equal(code(res), 'GRAPHQL_VALIDATION_FAILED', label);
    t.match(res.json().errors[0].message, message, label);
    t.equal(res.json().data, null, label);
  };

  await t.test('30 aliases run, with one tenant read; 31 and 5,000 are refused unread', async (t) => {
    tenantReads = 0;
    const ok = await gql({ query: aliases(30) });
    t.equal(ok.statusCode, 200);
    t.equal(Object.keys(ok.json().data).length, 30);
    t.equal(tenantReads, 1, 'one read for every alias of viewer');
    tenantReads = 0;
    refused(t, await gql({ query: aliases(31) }), /31 aliases; at most 30/, '31 aliases');
    refused(t, await gql({ query: aliases(5000) }), /bytes; at most 20480/, '5,000 aliases (over 20 KB)');
    t.equal(tenantReads, 0, 'nothing ran');
  });

  await t.test('aliases in fragments count every time the fragment is spread', async (t) => {
    const fragment = `fragment F on Query { ${Array.from({ length: 8 }, (_, i) => `f${i}: viewer { tenant { id } }`).join(' ')} }`;
    refused(t, await gql({ query: `{ ...F ... { ...F } ...F ...F } ${fragment}` }), /32 aliases/, '4 spreads of 8');
  });

  await t.test('depth 15 runs; 16 is refused, through fragments too', async (t) => {
    // A chain of fragments adds no depth of its own: only the fields it reaches count.
    const chain = (n: number) =>
      `{ ...F0 } ${Array.from({ length: n }, (_, i) => `fragment F${i} on Query { ${i === n - 1 ? 'viewer { tenant { id } }' : `...F${i + 1}`} }`).join(' ')}`;
    t.equal((await gql({ query: chain(200) })).statusCode, 200, 'a long chain of fragments is no deeper than what it spreads');
    const introspectionDepth = (n: number) => `{ __schema { types { fields { type ${'{ ofType '.repeat(n)}{ name }${' }'.repeat(n)} } } } }`;
    t.equal((await gql({ query: introspectionDepth(10) })).statusCode, 200, '15 deep');
    refused(t, await gql({ query: introspectionDepth(11) }), /16 fields deep; at most 15/, '16 deep');
    const viaFragments = `{ __schema { types { ...T } } } fragment T on __Type { fields { type { ...U } } } fragment U on __Type { ${'ofType { '.repeat(11)}name${' }'.repeat(11)} }`;
    refused(t, await gql({ query: viaFragments }), /16 fields deep/, '16 deep through fragments');
  });

  await t.test('cyclic and deep fragment chains are a 400, not a crash', async (t) => {
    refused(t, await gql({ query: '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }' }), /cycle/, 'a cycle');
    refused(t, await gql({ query: '{ ...A } fragment A on Query { ...A }' }), /cycle/, 'a self-spread');
    const brackets = `{ ${'viewer { tenant { '.repeat(150)} }`;
    refused(t, await gql({ query: brackets }), /nests brackets more than 200 deep/, '300 nested brackets');
  });

  await t.test('size and tokens: 20 KB of query text, 5,000 tokens', async (t) => {
    refused(t, await gql({ query: `{ viewer { tenant { id } } } ${'#'.repeat(21_000)}` }), /at most 20480/, '21 KB');
    refused(t, await gql({ query: `{ viewer { tenant { ${'id '.repeat(6000)} } } }` }), /more than 5000 tokens/, '6,000 tokens');
  });

  await t.test('batches: up to 10 operations', async (t) => {
    const op = { query: '{ viewer { tenant { id } } }' };
    const ten = await gql(Array.from({ length: 10 }, () => op));
    t.equal(ten.statusCode, 200);
    t.equal(ten.json().length, 10);
    const eleven = await gql(Array.from({ length: 11 }, () => op));
    t.equal(eleven.statusCode, 400);
    t.equal(code(eleven), 'BAD_REQUEST');
    t.match(eleven.json().errors[0].message, /1 to 10 operations; this one has 11/);
    t.equal((await gql([])).statusCode, 400, 'an empty batch');
  });

  await t.test('request errors: their own codes, never an internal error', async (t) => {
    const malformed = await app.inject({ method: 'POST', url: '/graphql', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"query": ' });
    t.equal(malformed.statusCode, 400);
    t.equal(code(malformed), 'BAD_REQUEST');
    for (const body of [{}, { query: '' }, { query: 5 }, { variables: {} }, 'just a string', [1], { query: '{ __typename }', variables: [1] }]) {
      const res = await app.inject({ method: 'POST', url: '/graphql', headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
      t.equal(res.statusCode, 400, JSON.stringify(body));
      t.equal(code(res), 'BAD_REQUEST', JSON.stringify(body));
    }
    const syntax = await gql({ query: '{ viewer { ' });
    t.equal(syntax.statusCode, 400);
    t.equal(code(syntax), 'GRAPHQL_PARSE_FAILED');
    const ast = await gql({ query: JSON.stringify(parse('{ viewer { tenant { id } } }', { noLocation: true })) });
    t.equal(code(ast), 'GRAPHQL_PARSE_FAILED', 'a JSON syntax tree is not taken for a query');
    const big = await gql({ query: '{ viewer { tenant { id } } }', variables: { pad: 'x'.repeat(1_100_000) } });
    t.equal(big.statusCode, 413);
    t.equal(code(big), 'BAD_REQUEST');
    const get = await app.inject({ url: '/graphql', headers: auth });
    t.equal(get.statusCode, 400, 'GET without a query');
    t.equal(code(get), 'BAD_REQUEST');
    for (const res of [malformed, syntax, big, get]) t.notMatch(res.body, /INTERNAL_SERVER_ERROR|Internal server error/);
  });
});

tap.test('GraphQL bounds are configurable, and cost is counted', async (t) => {
  const { app, database } = await buildTestApp(t, { GRAPHQL_MAX_COST: '3', GRAPHQL_MAX_ALIASES: '2', GRAPHQL_MAX_DEPTH: '2', GRAPHQL_MAX_BATCH: '2' });
  const { auth } = await tenantWithKey(database);
  const gql = (payload: unknown) => app.inject({ method: 'POST', url: '/graphql', headers: auth, payload: payload as object });
  t.equal((await gql({ query: '{ viewer { apiKey { id } } }' })).statusCode, 400, 'depth 3 over 2');
  const cost = await gql({ query: '{ a: viewer { __typename } b: viewer { __typename } }' });
  t.equal(cost.statusCode, 400, 'cost 4 over 3');
  t.match(cost.json().errors[0].message, /costs 4; at most 3/);
  t.equal((await gql({ query: '{ viewer { __typename } }' })).statusCode, 200, 'cost 2');
  t.equal((await gql([{ query: '{ __typename }' }, { query: '{ __typename }' }, { query: '{ __typename }' }])).statusCode, 400, 'batch of 3 over 2');
});

tap.test('the cost of a list is its `first` times its fields (variables and defaults included)', async (t) => {
  const schema = buildSchema(`
    type Query { people(first: Int = 25, after: String): [Person!]! viewer: Person }
    type Person { id: ID! name: String friends(first: Int = 10): [Person!]! tags: [String!]! }
  `);
  const cost = (query: string, variables?: Record<string, unknown>) => documentCost(schema, parse(query), variables);
  t.equal(cost('{ viewer { id name } }'), 3, 'plain fields cost 1 each');
  t.equal(cost('{ people(first: 100) { id name } }'), 1 + 100 * 2);
  t.equal(cost('{ people { id } }'), 1 + 25 * 1, 'the default of first');
  t.equal(cost('query ($n: Int) { people(first: $n) { id } }', { n: 7 }), 1 + 7);
  t.equal(cost('{ people(first: 10) { friends(first: 5) { id } } }'), 1 + 10 * (1 + 5 * 1));
  t.equal(cost('{ people(first: 2) { ...P } } fragment P on Person { id tags }'), 1 + 2 * 2, 'through fragments');
  t.equal(cost('query A { viewer { id } } query B { people(first: 3) { id } }'), 4, 'the dearest operation');
});

tap.test('a list of objects without `first` costs its most items: a chain of them is refused', async (t) => {
  const { app, database } = await buildTestApp(t);
  const owner = await tenantWithKey(database);
  const schema = app.graphqlSchema;
  const cost = (query: string) => documentCost(schema, parse(query), {});
  t.equal(cost('{ careerStrategies(first: 1) { nodes { informedBy { id } } } }'), 1 + 1 * (1 + 1 + 100 * 1), 'informedBy: at most 100 interviews');
  t.equal(cost('{ interviews(first: 1) { nodes { referrals { note } questions { question } } } }'), 1 + 1 * (1 + 1 + 50 + 1 + 50), 'referrals and questions: at most 50');
  t.equal(cost('{ careerStrategies(first: 1) { nodes { tags: skills } } }'), 1 + 1 * (1 + 1), 'a list of strings costs 1');
  t.equal(cost('{ people(first: 2) { nodes { id } edges { node { id } } } }'), 1 + 2 * (1 + 1 + 1 + 1 * (1 + 1)), "a connection's nodes and edges are its page");
  // The chain a key holder could seed: 100 strategies x 100 interviews x 50 referrals x 90 interviews.
  const chain = '{ careerStrategies(first: 100) { nodes { informedBy { referrals { person { interviews(role: ANY, first: 90) { nodes { id } } } } } } } }';
  t.ok(cost(chain) > 20_000, `the chain costs ${cost(chain)}`);
  const res = await app.inject({ method: 'POST', url: '/graphql', headers: owner.auth, payload: { query: chain } });
  t.equal(res.statusCode, 400);
  t.match(res.json(), { data: null, errors: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' }, message: /costs \d+; at most 20000/ }] }, 'refused, nothing ran');
});

tap.test("the list sizes the cost counts are the input schemas' own bounds", async (t) => {
  const maxItems = (schema: z.ZodType, field: string) => {
    type Properties = { properties: Record<string, { anyOf?: { maxItems?: number }[]; maxItems?: number }> };
    // The schema as openapi.yaml shows it: a $ref to its named definition.
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Properties & { $ref?: string; $defs?: Record<string, Properties> };
    const definition = json.$ref ? json.$defs![json.$ref.split('/').pop()!]! : json;
    const property = definition.properties[field]!;
    return property.maxItems ?? property.anyOf?.find((s) => s.maxItems)?.maxItems;
  };
  const sources: Record<string, [z.ZodType, string]> = {
    'Interview.questions': [InterviewInput, 'questions'],
    'Interview.insights': [InterviewInput, 'insights'],
    'Interview.referrals': [InterviewInput, 'referrals'],
    'Interview.followUps': [InterviewInput, 'followUps'],
    'CareerStrategy.goals': [CareerStrategyInput, 'goals'],
    'CareerStrategy.targetOrganizations': [CareerStrategyInput, 'targetOrganizationIds'],
    'CareerStrategy.informedBy': [CareerStrategyInput, 'informedByInterviewIds'],
  };
  t.same(Object.keys(LIST_SIZES).sort(), Object.keys(sources).sort(), 'every bounded list has its source');
  for (const [field, [schema, input]] of Object.entries(sources)) t.equal(LIST_SIZES[field], maxItems(schema, input), `${field}: at most ${maxItems(schema, input)}`);
});
