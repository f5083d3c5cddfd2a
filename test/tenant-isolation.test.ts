import tap from 'tap';
import { randomUUID } from 'node:crypto';
import { getNamedType, isNonNullType, type GraphQLInputObjectType } from 'graphql';
import { buildTestApp, tenantWithKey } from './helpers/app.js';
import { fieldPaths, openapi, withPath, type Schema } from './helpers/openapi.js';

// Tenant isolation over every REST operation of openapi.yaml and every root field of the GraphQL
// schema (api.md, "Auth" and "References"):
// tenant A aims each operation at tenant B's records and must learn nothing and change nothing.
// The operations come from the committed contract, so a new route without a case here fails.

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
interface FieldError {
  path: string;
  message: string;
}
interface Entity {
  id: string;
  version: number;
  externalId: string | null;
  createdAt: string;
  [field: string]: unknown;
}
interface Probe {
  label: string;
  method?: Method;
  query?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** The id as sent: e.g. upper-cased. */
  spell?: (id: string) => string;
}

const doc = openapi;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
  Object.entries(ops)
    .filter(([method]) => METHODS.includes(method))
    .map(([method, op]) => ({ method: method.toUpperCase() as Method, path, op, key: `${method.toUpperCase()} ${path}` })),
);
const ENTITIES = ['organizations', 'people', 'relationships', 'interviews', 'career-strategies', 'opportunities', 'question-templates'] as const;
type Collection = (typeof ENTITIES)[number] | 'api-keys' | 'imports' | 'analytics' | 'events' | 'webhooks';
const collectionOf = (path: string) => path.split('/')[2] as Collection;
const pathParams = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);

/** Every field of an input that holds a record id, as an error path: `organizationId`, `referrals.0.personId`. */
const uuidPaths = (schema: Schema) => fieldPaths(schema, (leaf) => leaf.format === 'uuid');
const cursorAt = (record: { createdAt: string; id: string }) => Buffer.from(JSON.stringify([record.createdAt, record.id])).toString('base64url');

tap.test('tenant isolation across every REST operation and every GraphQL root field', async (t) => {
  // Webhooks aim at a closed local port; the test app runs no worker (this file is about who sees what).
  const { app, database } = await buildTestApp(t, { WEBHOOK_ALLOW_PRIVATE: 'true' });
  // Without the default question bank: each tenant's templates are the ones seeded below.
  const tenantA = await tenantWithKey(database, 'A', { questionBank: false });
  const tenantB = await tenantWithKey(database, 'B', { questionBank: false });
  const as =
    (auth: Record<string, string>) =>
    (method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
      app.inject({ method, url, headers: { ...auth, ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });
  const asA = as(tenantA.auth);
  const asB = as(tenantB.auth);
  type Call = typeof asA;
  type Res = Awaited<ReturnType<Call>>;
  const created = async (res: Promise<Res>, what: string): Promise<Entity> => {
    const r = await res;
    t.equal(r.statusCode, 201, `created ${what}`, { body: r.statusCode === 201 ? undefined : r.json() });
    return r.json() as Entity;
  };

  /** One of each record, through the API; `ext` prefixes the external IDs. */
  async function seed(call: Call, tag: string, ext: string, interviewStatus: 'completed' | 'planned') {
    const org = await created(
      call('POST', '/v1/organizations', { name: `${tag} Robotics`, industry: `${tag} industry`, tags: [`${tag}-tag`], externalId: `${ext}org` }),
      `${tag} organization`,
    );
    const person = (fullName: string, n: number, extra: object) =>
      created(call('POST', '/v1/people', { fullName, externalId: `${ext}person-${n}`, ...extra }), `${tag} ${fullName}`);
    const p1 = await person(`${tag} Student`, 1, { roles: ['student'], tags: [`${tag}-tag`], organizationId: org.id });
    const p2 = await person(`${tag} Professional`, 2, { roles: ['professional'], organizationId: org.id });
    const p3 = await person(`${tag} Mentor`, 3, { roles: ['mentor'] });
    const relationship = await created(
      call('POST', '/v1/relationships', { personId: p1.id, contactId: p2.id, introducedById: p3.id, source: 'career_center', kind: 'mentor', externalId: `${ext}relationship` }),
      `${tag} relationship`,
    );
    const template = await created(
      call('POST', '/v1/question-templates', { text: `${tag} question?`, category: 'advice', tags: [`${tag}-tag`], externalId: `${ext}template` }),
      `${tag} question template`,
    );
    const interview = await created(
      call('POST', '/v1/interviews', {
        requesterId: p1.id,
        intervieweeId: p2.id,
        organizationId: org.id,
        status: interviewStatus,
        ...(interviewStatus === 'completed' ? { occurredAt: '2024-03-01T10:00:00.000Z' } : {}),
        referrals: [{ personId: p3.id, note: 'ask about internships' }],
        questions: [{ question: template.text, templateId: template.id }],
        tags: [`${tag}-tag`],
        externalId: `${ext}interview`,
      }),
      `${tag} interview`,
    );
    const strategy = await created(
      call('POST', '/v1/career-strategies', {
        personId: p1.id,
        title: `${tag} plan`,
        targetOrganizationIds: [org.id],
        informedByInterviewIds: [interview.id],
        externalId: `${ext}strategy`,
      }),
      `${tag} career strategy`,
    );
    const opportunity = await created(
      call('POST', '/v1/opportunities', {
        seekerId: p1.id,
        organizationId: org.id,
        title: `${tag} internship`,
        advertised: false,
        source: 'referral',
        referredById: p2.id,
        sourceInterviewId: interview.id,
        tags: [`${tag}-tag`],
        externalId: `${ext}opportunity`,
      }),
      `${tag} opportunity`,
    );
    return { org, p1, p2, p3, relationship, interview, strategy, template, opportunity };
  }

  // ---- B's world -------------------------------------------------------------------------
  const B = await seed(asB, 'B', 'crm-', 'completed');
  const revised = await asB('PATCH', `/v1/career-strategies/${B.strategy.id}`, { title: 'B plan, revised' });
  t.equal(revised.json().version, 2, "B's strategy has one revision");
  B.strategy = revised.json() as Entity;

  // Every POST of the contract, once by B with an Idempotency-Key that A will then reuse.
  const postBodies: Record<string, (w: typeof B) => Record<string, unknown>> = {
    'POST /v1/organizations': () => ({ name: 'Idempotent Org' }),
    'POST /v1/people': () => ({ fullName: 'Idempotent Person' }),
    'POST /v1/relationships': (w) => ({ personId: w.p2.id, contactId: w.p1.id }),
    'POST /v1/interviews': (w) => ({ requesterId: w.p3.id, intervieweeId: w.p2.id }),
    'POST /v1/career-strategies': (w) => ({ personId: w.p2.id }),
    'POST /v1/opportunities': (w) => ({ seekerId: w.p2.id, title: 'Idempotent opportunity', advertised: true }),
    'POST /v1/question-templates': () => ({ text: 'Idempotent question?' }),
    'POST /v1/api-keys': () => ({ name: 'Idempotent key', scopes: ['read'] }),
    'POST /v1/webhooks': () => ({ url: 'http://127.0.0.1:9/hook', types: ['person.*'], description: 'B hook' }),
  };
  const idempotencyKey = (key: string) => `shared-${key.replace(/[^a-z]+/gi, '-')}`;
  const bPosted: Record<string, Entity & { secret?: string }> = {};
  for (const [key, body] of Object.entries(postBodies)) {
    const [, path] = key.split(' ') as [string, string];
    bPosted[key] = await created(asB('POST', path, body(B), { 'idempotency-key': idempotencyKey(key) }), `B: ${key}`);
  }
  const bKey = bPosted['POST /v1/api-keys'] as Entity & { secret: string };
  const bWebhook = bPosted['POST /v1/webhooks'] as Entity;
  // A delivery of B's (a test to a closed port: failed, kept).
  const bDelivery = (await asB('POST', `/v1/webhooks/${bWebhook.id}/test`)).json() as { id: string; status: string };
  t.equal(bDelivery.status, 'failed', "B's test delivery, kept");
  // B's import: a job with an error row, naming B's records by external ID.
  const bImport = await asB('POST', '/v1/imports/people', `${JSON.stringify({ externalId: 'crm-imported', fullName: 'B Imported', organizationExternalId: 'crm-org' })}\n{"bad": \n`, {
    'content-type': 'application/x-ndjson',
  });
  t.equal(bImport.statusCode, 201, "B's import");
  // An organization whose external ID only B uses (A's import names it below).
  await created(asB('POST', '/v1/organizations', { name: 'B only', externalId: 'only-b-org' }), 'an organization only B has');
  const bJob = bImport.json() as Entity & { counts: { created: number; failed: number } };
  t.match(bJob.counts, { created: 1, failed: 1 });

  // ---- A's own small world ------------------------------------------------------------------
  const A = await seed(asA, 'A', 'a-crm-', 'planned');

  // ---- what B has, as B sees it ---------------------------------------------------------------
  async function snapshotOfB(t: Pick<typeof tap, 'equal'>) {
    const lists: Record<string, unknown> = {};
    for (const collection of ENTITIES) {
      const res = await asB('GET', `/v1/${collection}?limit=100`);
      t.equal(res.statusCode, 200, `B lists its ${collection}`);
      t.equal(res.json().nextCursor, null, `B's ${collection} fit one page`);
      lists[collection] = res.json().data;
    }
    const keys = (await asB('GET', '/v1/api-keys')).json().data as { lastUsedAt?: unknown }[];
    // lastUsedAt moves whenever B itself calls; everything else must stay.
    lists['api-keys'] = keys.map(({ lastUsedAt: _used, ...key }) => key);
    lists.revisions = (await asB('GET', `/v1/career-strategies/${B.strategy.id}/revisions?limit=100`)).json();
    lists.tenant = (await asB('GET', '/v1/tenant')).json();
    lists.webhooks = (await asB('GET', '/v1/webhooks')).json();
    lists.deliveries = (await asB('GET', `/v1/webhooks/${bWebhook.id}/deliveries`)).json();
    return lists;
  }
  const before = await snapshotOfB(t);
  t.equal((before.revisions as { data: unknown[] }).data.length, 1, "B's strategy has its one revision");
  const bIds = new Set<string>([tenantB.tenant.id, tenantB.keyId]);
  for (const collection of [...ENTITIES, 'api-keys']) for (const r of before[collection] as { id: string }[]) bIds.add(r.id);
  for (const r of [B.org, B.p1, B.p2, B.p3, B.relationship, B.interview, B.strategy, B.template, B.opportunity, bKey]) t.ok(bIds.has(r.id), `B lists its own ${r.id}`);
  bIds.add(bJob.id);
  bIds.add(bWebhook.id);
  bIds.add(bDelivery.id);
  const leaks = (body: string) => [...bIds].filter((id) => body.toLowerCase().includes(id));

  const bMain: Partial<Record<Collection, { id: string; version: number }[]>> = {
    organizations: [B.org],
    people: [B.p1, B.p2, B.p3],
    relationships: [B.relationship],
    interviews: [B.interview],
    'career-strategies': [B.strategy],
    opportunities: [B.opportunity],
    'question-templates': [B.template],
    'api-keys': [
      { id: bKey.id, version: 0 },
      { id: tenantB.keyId, version: 0 },
    ],
    imports: [{ id: bJob.id, version: 0 }],
    webhooks: [bWebhook],
  };

  await t.test('every operation of openapi.yaml falls under one of the checks below', async (t) => {
    t.ok(operations.length >= 25, `${operations.length} operations`);
    for (const { key, method, path } of operations) {
      const params = pathParams(path);
      const kind =
        params.length === 0
          ? method === 'GET'
            ? 'list'
            : method === 'POST'
              ? 'create'
              : undefined
          : params.length === 1 && params[0] === 'id'
            ? 'id'
            : params.length === 1 && params[0] === 'externalId' && method === 'PUT'
              ? 'externalId'
              : params.length === 1 && params[0] === 'entity' && method === 'POST'
                ? 'import'
                : params.length === 1 && params[0] === 'deliveryId'
                  ? 'delivery'
                  : undefined;
      t.ok(kind, `${key} is covered (${kind ?? 'no isolation check applies: add one'})`);
    }
  });

  // ---- 2. every {id} operation: another tenant's id is a 404 exactly like a missing one ------
  const reads: (target: { version: number }) => Probe[] = (target) => [
    { label: 'GET' },
    { label: 'GET with If-None-Match of its version (no 304)', headers: { 'if-none-match': `"${target.version}"` } },
    { label: 'GET with the id upper-cased', spell: (id) => id.toUpperCase() },
    { label: 'HEAD', method: 'HEAD' },
  ];
  const patches =
    (body: Record<string, unknown>) =>
    (target: { version: number }): Probe[] => [
      { label: 'PATCH', body },
      { label: 'PATCH as merge-patch+json', body: JSON.stringify(body), headers: { 'content-type': 'application/merge-patch+json' } },
      { label: 'PATCH with If-Match of its version', body, headers: { 'if-match': `"${target.version}"` } },
      { label: 'PATCH with a stale If-Match (no 412)', body, headers: { 'if-match': '"999"' } },
    ];
  const deletes = (): Probe[] => [{ label: 'DELETE' }, { label: 'DELETE ?cascade=true', query: '?cascade=true' }, { label: 'DELETE ?cascade=false', query: '?cascade=false' }];
  const idCases: Record<string, (target: { version: number }) => Probe[]> = {
    'GET /v1/organizations/{id}': reads,
    'PATCH /v1/organizations/{id}': patches({ description: 'hijacked by A' }),
    'DELETE /v1/organizations/{id}': deletes,
    'GET /v1/people/{id}': reads,
    'GET /v1/people/{id}/progress': () => [{ label: 'GET progress' }, { label: 'GET progress with the id upper-cased', spell: (id) => id.toUpperCase() }],
    'PATCH /v1/people/{id}': patches({ headline: 'hijacked by A' }),
    'DELETE /v1/people/{id}': deletes,
    'GET /v1/relationships/{id}': reads,
    'PATCH /v1/relationships/{id}': patches({ notes: 'hijacked by A' }),
    'DELETE /v1/relationships/{id}': deletes,
    'GET /v1/interviews/{id}': reads,
    'PATCH /v1/interviews/{id}': patches({ notes: 'hijacked by A' }),
    'DELETE /v1/interviews/{id}': deletes,
    'GET /v1/career-strategies/{id}': reads,
    'PATCH /v1/career-strategies/{id}': patches({ title: 'hijacked by A' }),
    'DELETE /v1/career-strategies/{id}': deletes,
    'GET /v1/career-strategies/{id}/revisions': () => [{ label: 'GET revisions' }, { label: 'GET revisions ?limit=1', query: '?limit=1' }],
    'GET /v1/opportunities/{id}': reads,
    'PATCH /v1/opportunities/{id}': patches({ notes: 'hijacked by A' }),
    'DELETE /v1/opportunities/{id}': deletes,
    'GET /v1/question-templates/{id}': reads,
    'PATCH /v1/question-templates/{id}': patches({ text: 'Hijacked by A?' }),
    'DELETE /v1/question-templates/{id}': deletes,
    'DELETE /v1/api-keys/{id}': () => [{ label: 'revoke' }],
    'GET /v1/imports/{id}': () => [{ label: 'GET job' }],
    'GET /v1/imports/{id}/errors': () => [{ label: 'GET errors' }, { label: 'GET errors ?limit=1', query: '?limit=1' }],
    'GET /v1/webhooks/{id}': () => [{ label: 'GET webhook' }],
    'PATCH /v1/webhooks/{id}': () => [{ label: 'PATCH webhook', body: { url: 'http://127.0.0.1:9/a-hijack', status: 'disabled' } }],
    'DELETE /v1/webhooks/{id}': () => [{ label: 'DELETE webhook' }],
    'POST /v1/webhooks/{id}/test': () => [{ label: 'test' }],
    'POST /v1/webhooks/{id}/rotate-secret': () => [{ label: 'rotate', body: { overlapSeconds: 0 } }],
    'GET /v1/webhooks/{id}/deliveries': () => [{ label: 'GET deliveries' }, { label: 'GET deliveries ?limit=1', query: '?limit=1' }],
  };

  await t.test("a delivery of B's, as A: redeliver is a 404 like a missing one", async (t) => {
    const foreign = await asA('POST', `/v1/webhooks/deliveries/${bDelivery.id}/redeliver`);
    const nowhere = await asA('POST', `/v1/webhooks/deliveries/${randomUUID()}/redeliver`);
    t.equal(foreign.statusCode, 404);
    t.equal(nowhere.statusCode, 404);
    t.same(leaks(foreign.body.replaceAll(bDelivery.id, '')), []);
  });

  let idChecks = 0;
  await t.test("every {id} operation, as A with B's ids: 404 not_found, same as an id that exists nowhere", async (t) => {
    const idOps = operations.filter((o) => pathParams(o.path).includes('id'));
    t.same(Object.keys(idCases).sort(), idOps.map((o) => o.key).sort(), 'the table has exactly the {id} operations of openapi.yaml');
    for (const { key, method, path } of idOps) {
      const cases = idCases[key];
      if (!cases) {
        t.fail(`${key}: no isolation case; add one to idCases`);
        continue;
      }
      const targets = bMain[collectionOf(path)];
      t.ok(targets?.length, `${key}: B has a ${collectionOf(path)} record to aim at`);
      for (const target of targets ?? []) {
        for (const probe of cases(target)) {
          const missing = randomUUID();
          const send = async (id: string) => {
            const spelled = probe.spell ? probe.spell(id) : id;
            const res = await asA(probe.method ?? method, path.replace('{id}', spelled) + (probe.query ?? ''), probe.body, probe.headers);
            return { res, spelled };
          };
          const foreign = await send(target.id);
          const nowhere = await send(missing);
          const label = `${key} ${probe.label} on B's ${target.id}`;
          idChecks++;
          t.equal(foreign.res.statusCode, 404, label);
          t.equal(nowhere.res.statusCode, 404, `${label}: a random id too`);
          t.notOk(foreign.res.headers.etag, `${label}: no ETag`);
          t.notOk(foreign.res.headers.location, `${label}: no Location`);
          t.equal(foreign.res.headers['content-type'], nowhere.res.headers['content-type'], `${label}: same content type`);
          if ((probe.method ?? method) === 'HEAD') {
            t.equal(foreign.res.body, '', `${label}: no body`);
            continue;
          }
          const problem = (r: { res: Res; spelled: string }, id: string) => {
            const { requestId: _id, ...body } = r.res.json() as Record<string, unknown>;
            return JSON.parse(JSON.stringify(body).replaceAll(r.spelled, '{id}').replaceAll(id, '{id}')) as Record<string, unknown>;
          };
          const a = problem(foreign, target.id);
          t.match(a, { code: 'not_found', status: 404 }, label);
          t.same(a, problem(nowhere, missing), `${label}: the same problem as for a missing id, apart from the id`);
          t.same(leaks(foreign.res.body.replaceAll(foreign.spelled, '').replaceAll(target.id, '')), [], `${label}: names no other B record`);
        }
      }
    }
  });

  // ---- 4. every list: none of B's records, whatever filter points at them --------------------
  // Per collection, the value each query parameter gets: B's record or a value only B's records
  // have. `empty`: A has nothing that matches either, so the page must be empty.
  type Filter = { value: string; empty: boolean; bFinds?: boolean };
  const common = (c: (typeof ENTITIES)[number], main: Entity): Record<string, Filter> => ({
    limit: { value: '100', empty: false },
    cursor: { value: cursorAt(main), empty: false, bFinds: false },
    updatedSince: { value: '1970-01-01T00:00:00.000Z', empty: false },
    externalId: { value: main.externalId!, empty: true },
    ...{
      organizations: {
        q: { value: 'B Robotics', empty: true },
        tag: { value: 'B-tag', empty: true },
        industry: { value: 'B industry', empty: true },
      },
      people: {
        q: { value: 'B Student', empty: true },
        tag: { value: 'B-tag', empty: true },
        role: { value: 'student', empty: false },
        organizationId: { value: B.org.id, empty: true },
      },
      relationships: {
        personId: { value: B.p1.id, empty: true },
        contactId: { value: B.p2.id, empty: true },
        source: { value: 'career_center', empty: false },
      },
      interviews: {
        status: { value: 'completed', empty: true },
        requesterId: { value: B.p1.id, empty: true },
        intervieweeId: { value: B.p2.id, empty: true },
        organizationId: { value: B.org.id, empty: true },
        from: { value: '2024-03-01T00:00:00Z', empty: true },
        to: { value: '2024-03-02T00:00:00Z', empty: true },
      },
      'career-strategies': {
        personId: { value: B.p1.id, empty: true },
        status: { value: 'draft', empty: false },
      },
      opportunities: {
        seekerId: { value: B.p1.id, empty: true },
        organizationId: { value: B.org.id, empty: true },
        status: { value: 'identified', empty: false },
        source: { value: 'referral', empty: false },
        advertised: { value: 'false', empty: false },
      },
      'question-templates': {
        category: { value: 'advice', empty: false },
        active: { value: 'true', empty: false },
      },
    }[c],
  });
  const mainOf: Record<(typeof ENTITIES)[number], Entity> = {
    organizations: B.org,
    people: B.p1,
    relationships: B.relationship,
    interviews: B.interview,
    'career-strategies': B.strategy,
    opportunities: B.opportunity,
    'question-templates': B.template,
  };
  const aMain: Record<(typeof ENTITIES)[number], Entity> = {
    organizations: A.org,
    people: A.p1,
    relationships: A.relationship,
    interviews: A.interview,
    'career-strategies': A.strategy,
    opportunities: A.opportunity,
    'question-templates': A.template,
  };

  let listChecks = 0;
  await t.test("every list operation, as A: none of B's records, with every filter aimed at them", async (t) => {
    // The cursor above is the one B's own lists hand out.
    const bPage = (await asB('GET', '/v1/people?limit=1')).json() as { nextCursor: string };
    t.equal(bPage.nextCursor, cursorAt(B.p1), 'a cursor naming B’s record is what B itself would send');

    for (const { key, path, op } of operations.filter((o) => o.method === 'GET' && pathParams(o.path).length === 0)) {
      const base = await asA('GET', path);
      listChecks++;
      t.equal(base.statusCode, 200, key);
      t.same(leaks(base.body), [], `${key}: no B id anywhere in the answer`);
      const collection = collectionOf(path);
      if (collection === 'imports') {
        // Filters by state and entity: none aims at a record; every value still names none of B's jobs.
        for (const query of ['?status=partially_succeeded', '?entity=people', '?status=partially_succeeded&entity=people', '?limit=100']) {
          const res = await asA('GET', `${path}${query}`);
          listChecks++;
          t.equal(res.statusCode, 200, `A: ${path}${query}`);
          t.same(leaks(res.body), [], `A: ${path}${query} names none of B's jobs`);
        }
        t.ok((await asB('GET', `${path}?status=partially_succeeded`)).json().data.some((j: { id: string }) => j.id === bJob.id), "B's list has B's job");
        continue;
      }
      if (collection === 'analytics') {
        // The figures count A's records only; a filter only B's people match finds nothing.
        const total = (body: { interviewsByStatus: { count: number }[] }) => body.interviewsByStatus.reduce((n, c) => n + c.count, 0);
        const aInterviews = ((await asA('GET', '/v1/interviews?limit=100')).json().data as unknown[]).length;
        const aOpportunities = ((await asA('GET', '/v1/opportunities?limit=100')).json().data as unknown[]).length;
        t.equal(total(base.json()), aInterviews, "A's summary counts A's interviews, all of them and only them");
        t.equal(base.json().funnel.opportunities, aOpportunities, "A's summary counts A's opportunities only");
        const aimed = await asA('GET', `${path}?tag=B-tag`);
        listChecks++;
        t.equal(total(aimed.json()), 0, `A: ${path}?tag=B-tag counts nothing`);
        t.ok(total((await asB('GET', `${path}?tag=B-tag`)).json()) > 0, `B: ${path}?tag=B-tag counts B's`);
        continue;
      }
      if ((collection as string) === 'events') {
        // The whole feed of A, every page, and B's head cursor and every type: none of B's ids.
        const bHead = (await asB('GET', '/v1/events?after=latest')).json().nextCursor as string;
        for (const start of ['', `after=${bHead}&`]) {
          let query = `${start}limit=100&types=${encodeURIComponent(['person.*', 'organization.*', 'relationship.*', 'interview.*', 'career_strategy.*', 'opportunity.*', 'question_template.*'].join(','))}`;
          for (let pages = 0; pages < 50; pages++) {
            const res = await asA('GET', `${path}?${query}`);
            listChecks++;
            // B's cursor is past A's head (a 400), or reads on in A's feed.
            t.ok(res.statusCode === 200 || (start && res.statusCode === 400), `A: ${path}?${query}`);
            t.same(leaks(res.body), [], `A: ${path}?${query} names none of B's records`);
            if (res.statusCode !== 200) break;
            if (!res.json().hasMore) break;
            query = `after=${res.json().nextCursor}&limit=100`;
          }
        }
        t.ok((await asB('GET', `${path}?limit=100`)).json().data.some((e: { entityId: string }) => e.entityId === B.p1.id), "B's feed has B's person");
        continue;
      }
      if (!(ENTITIES as readonly string[]).includes(collection)) {
        t.same((op.parameters ?? []).filter((p) => p.in === 'query'), [], `${key} takes no filters (checked in its own test below)`);
        continue;
      }
      const c = collection as (typeof ENTITIES)[number];
      t.ok((base.json().data as { id: string }[]).some((r) => r.id === aMain[c].id), `${key}: A sees its own ${c}`);
      const filters = common(c, mainOf[c]);
      const params = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      t.same(Object.keys(filters).sort(), [...params].sort(), `${key}: a B-aimed value for exactly its query parameters`);
      for (const name of params) {
        const filter = filters[name];
        if (!filter) {
          t.fail(`${key}?${name}: no B-aimed value; add one`);
          continue;
        }
        const query = `${path}?${name}=${encodeURIComponent(filter.value)}`;
        const res = await asA('GET', query);
        listChecks++;
        t.equal(res.statusCode, 200, `A: ${query}`);
        const ids = (res.json().data as { id: string }[]).map((r) => r.id);
        t.same(leaks(res.body), [], `A: ${query} names no B record`);
        if (filter.empty) t.same(ids, [], `A: ${query} is empty`);
        if (filter.bFinds !== false) {
          // The same query as B finds B's record: the filter really aims at it.
          const mine = (await asB('GET', query)).json().data as { id: string }[];
          t.ok(mine.some((r) => r.id === mainOf[c].id), `B: ${query} finds B's own ${c}`);
        }
      }
    }
  });

  // ---- 5. references to B's records in A's writes: a validation error like a missing record --
  // Which B record each reference field of an input is aimed at; `with` clears what would add
  // an unrelated error (a strategy cites only its own person's interviews).
  const refTargets: Record<string, { id: () => string; with?: Record<string, unknown> }> = {
    'people organizationId': { id: () => B.org.id },
    'relationships personId': { id: () => B.p1.id },
    'relationships contactId': { id: () => B.p2.id },
    'relationships introducedById': { id: () => B.p3.id },
    'interviews requesterId': { id: () => B.p1.id },
    'interviews intervieweeId': { id: () => B.p2.id },
    'interviews organizationId': { id: () => B.org.id },
    'interviews referrals.0.personId': { id: () => B.p3.id },
    'interviews questions.0.templateId': { id: () => B.template.id, with: { questions: [{ question: 'Probe?' }] } },
    'opportunities seekerId': { id: () => B.p1.id },
    'opportunities organizationId': { id: () => B.org.id },
    'opportunities referredById': { id: () => B.p2.id },
    'opportunities sourceInterviewId': { id: () => B.interview.id },
    'career-strategies personId': { id: () => B.p1.id, with: { informedByInterviewIds: [] } },
    'career-strategies targetOrganizationIds.0': { id: () => B.org.id },
    'career-strategies informedByInterviewIds.0': { id: () => B.interview.id },
  };
  // A valid input of A's for each entity, with A's own references.
  const aInputs: Record<(typeof ENTITIES)[number], Record<string, unknown>> = {
    organizations: { name: 'A probe' },
    people: { fullName: 'A probe', organizationId: A.org.id },
    relationships: { personId: A.p3.id, contactId: A.p2.id, introducedById: A.p1.id },
    interviews: { requesterId: A.p1.id, intervieweeId: A.p2.id, organizationId: A.org.id, referrals: [{ personId: A.p3.id }] },
    'career-strategies': { personId: A.p1.id, targetOrganizationIds: [A.org.id], informedByInterviewIds: [A.interview.id] },
    opportunities: { seekerId: A.p1.id, title: 'A probe', advertised: false, organizationId: A.org.id, referredById: A.p2.id, sourceInterviewId: A.interview.id },
    'question-templates': { text: 'A probe?' },
  };

  let referenceChecks = 0;
  await t.test("references to B's records in A's creates, upserts and patches: 400 on that path, like a missing record", async (t) => {
    const aBefore = await Promise.all(ENTITIES.map(async (c) => (await asA('GET', `/v1/${c}?limit=100`)).json()));
    const found: string[] = [];
    for (const { key, path, op } of operations.filter((o) => o.method === 'POST' && pathParams(o.path).length === 0)) {
      const collection = collectionOf(path);
      const schema = op.requestBody?.content?.['application/json']?.schema;
      t.ok(schema, `${key} has a JSON body`);
      if (!schema) continue;
      for (const field of uuidPaths(schema)) {
        const ref = refTargets[`${collection} ${field}`];
        found.push(`${collection} ${field}`);
        if (!ref || collection === 'api-keys') {
          t.fail(`${key}: the reference ${field} has no case; add it to refTargets`);
          continue;
        }
        const c = collection as (typeof ENTITIES)[number];
        const writes: { label: string; method: Method; url: string; body: (id: string) => unknown }[] = [
          { label: 'create', method: 'POST', url: path, body: (id) => withPath({ ...aInputs[c], ...ref.with }, field, id) },
          { label: 'upsert', method: 'PUT', url: `${path}/external/a-ref-probe`, body: (id) => withPath({ ...aInputs[c], ...ref.with }, field, id) },
          { label: 'patch', method: 'PATCH', url: `${path}/${aMain[c].id}`, body: (id) => withPath({ ...ref.with }, field, id) },
        ];
        for (const write of writes) {
          const label = `${write.label} ${c} with B's record in ${field}`;
          const foreign = await asA(write.method, write.url, write.body(ref.id()));
          const nowhere = await asA(write.method, write.url, write.body(randomUUID()));
          referenceChecks++;
          t.equal(foreign.statusCode, 400, label, { body: foreign.json() });
          t.equal(nowhere.statusCode, 400, `${label}: a random id too`);
          const a = foreign.json() as { code: string; detail: string; errors: FieldError[] };
          const n = nowhere.json() as { code: string; detail: string; errors: FieldError[] };
          t.equal(a.code, 'validation_failed', label);
          t.same(
            a.errors?.map((e) => e.path),
            [field],
            `${label}: one error, on ${field}`,
          );
          t.same(a.errors, n.errors, `${label}: the same message as a record that exists nowhere`);
          t.equal(a.detail, n.detail, `${label}: the same detail`);
          t.same(leaks(foreign.body.replaceAll(ref.id(), '')), [], `${label}: names no other B record`);
        }
      }
    }
    t.same(found.sort(), Object.keys(refTargets).sort(), 'the reference fields of openapi.yaml are exactly the ones aimed at');
    const aAfter = await Promise.all(ENTITIES.map(async (c) => (await asA('GET', `/v1/${c}?limit=100`)).json()));
    t.same(aAfter, aBefore, 'the refused writes changed nothing of A either');
  });

  // ---- every create: Idempotency-Keys are per tenant ------------------------------------------
  let postChecks = 0;
  const aKeyIds = new Set<string>([tenantA.keyId]);
  await t.test("every create, as A with B's Idempotency-Key: A's own new record, never B's answer", async (t) => {
    const posts = operations.filter((o) => o.method === 'POST' && pathParams(o.path).length === 0);
    t.same(Object.keys(postBodies).sort(), posts.map((o) => o.key).sort(), 'the table has exactly the create operations of openapi.yaml');
    for (const { key, path } of posts) {
      const body = postBodies[key];
      if (!body) {
        t.fail(`${key}: no case; add it to postBodies`);
        continue;
      }
      const headers = { 'idempotency-key': idempotencyKey(key) };
      const first = await asA('POST', path, body(A), headers);
      postChecks++;
      t.equal(first.statusCode, 201, `${key}: A's first use of the key runs`, { body: first.json() });
      t.notOk(first.headers['idempotent-replayed'], `${key}: not a replay of B's answer`);
      t.not(first.json().id, bPosted[key]!.id, `${key}: a new record`);
      t.same(leaks(first.body), [], `${key}: names no B record`);
      const again = await asA('POST', path, body(A), headers);
      t.equal(again.statusCode, 201, `${key}: A's retry`);
      t.equal(again.headers['idempotent-replayed'], 'true', `${key}: A's retry replays A's own answer`);
      t.equal(again.json().id, first.json().id, `${key}: the same record`);
      if (collectionOf(path) === 'api-keys') aKeyIds.add(first.json().id as string);
    }
  });

  // ---- 3. every upsert by externalId: B's externalId makes A's own record ----------------------
  let upsertChecks = 0;
  await t.test("every {externalId} operation, as A with B's externalId: A's own new record, B's untouched", async (t) => {
    const upserts = operations.filter((o) => pathParams(o.path).includes('externalId'));
    const bodies: Record<string, Record<string, unknown>> = {
      'PUT /v1/organizations/external/{externalId}': { name: 'A by upsert' },
      'PUT /v1/people/external/{externalId}': { fullName: 'A by upsert' },
      'PUT /v1/relationships/external/{externalId}': { personId: A.p2.id, contactId: A.p3.id },
      'PUT /v1/interviews/external/{externalId}': { requesterId: A.p2.id, intervieweeId: A.p3.id },
      'PUT /v1/career-strategies/external/{externalId}': { personId: A.p2.id },
      'PUT /v1/opportunities/external/{externalId}': { seekerId: A.p2.id, title: 'A by upsert', advertised: true },
      'PUT /v1/question-templates/external/{externalId}': { text: 'A by upsert?' },
    };
    t.same(Object.keys(bodies).sort(), upserts.map((o) => o.key).sort(), 'the table has exactly the upserts of openapi.yaml');
    for (const { key, path } of upserts) {
      const body = bodies[key];
      if (!body) {
        t.fail(`${key}: no case; add it to the upsert bodies`);
        continue;
      }
      const c = collectionOf(path) as (typeof ENTITIES)[number];
      const theirs = mainOf[c] as Entity | undefined;
      if (!theirs) {
        t.fail(`${key}: B has no ${c} record to take the externalId of; seed one`);
        continue;
      }
      const bBefore = (await asB('GET', `/v1/${c}/${theirs.id}`)).json() as Entity;
      const url = path.replace('{externalId}', encodeURIComponent(theirs.externalId!));
      const res = await asA('PUT', url, body);
      upsertChecks++;
      t.equal(res.statusCode, 201, `${key} with B's ${theirs.externalId}: created`, { body: res.json() });
      const mine = res.json() as Entity;
      t.not(mine.id, theirs.id, `${key}: a record of A's`);
      t.match(mine, { externalId: theirs.externalId, version: 1 }, `${key}: A's record carries the externalId`);
      t.equal(res.headers.location, `/v1/${c}/${mine.id}`);
      t.same(leaks(res.body), [], `${key}: names no B record`);
      t.same((await asA('GET', `/v1/${c}/${mine.id}`)).json(), mine, `${key}: A reads its record`);
      const again = await asA('PUT', url, body);
      t.equal(again.statusCode, 200, `${key}: A's second upsert finds A's record`);
      t.match(again.json(), { id: mine.id, version: 1 });
      t.same((await asB('GET', `/v1/${c}/${theirs.id}`)).json(), bBefore, `${key}: B's record unchanged, version ${bBefore.version}`);
      const filter = `/v1/${c}?externalId=${encodeURIComponent(theirs.externalId!)}`;
      t.same(((await asA('GET', filter)).json().data as Entity[]).map((r) => r.id), [mine.id], `A: ${filter} lists A's record only`);
      t.same(((await asB('GET', filter)).json().data as Entity[]).map((r) => r.id), [theirs.id], `B: ${filter} lists B's record only`);
      t.equal((await asA('GET', `/v1/${c}/${theirs.id}`)).statusCode, 404, `${key}: B's record is still a 404 for A`);
    }
  });

  // ---- 7. the caller's tenant and keys -------------------------------------------------------
  await t.test('GET /v1/tenant and GET /v1/api-keys as A show only A', async (t) => {
    const tenant = await asA('GET', '/v1/tenant');
    t.equal(tenant.statusCode, 200);
    t.match(tenant.json(), { id: tenantA.tenant.id, name: 'A', slug: tenantA.tenant.slug });
    t.same(leaks(tenant.body), []);
    const keys = await asA('GET', '/v1/api-keys');
    t.equal(keys.statusCode, 200);
    t.same((keys.json().data as { id: string }[]).map((k) => k.id).sort(), [...aKeyIds].sort(), "A's keys, all of them, and only them");
    t.same(leaks(keys.body), []);
    t.match((await asB('GET', '/v1/tenant')).json(), { id: tenantB.tenant.id, name: 'B' }, 'and B sees B');
  });

  // ---- 7b. imports: A's rows naming B's records, by id or external ID, reach none of them -----
  await t.test("an import as A naming B's records: each an unknown reference, none written", async (t) => {
    const rows = [
      { externalId: 'a-imp-1', fullName: 'By B id', organizationId: B.org.id },
      { externalId: 'a-imp-2', fullName: 'By B external id', organizationExternalId: 'only-b-org' },
    ];
    const res = await asA('POST', '/v1/imports/people', rows.map((r) => JSON.stringify(r)).join('\n'), { 'content-type': 'application/x-ndjson' });
    t.equal(res.statusCode, 201);
    const job = res.json() as { counts: { created: number; failed: number }; errors: { row: number; path: string }[] };
    t.match(job.counts, { created: 0, failed: 2 });
    t.same(
      job.errors.map((e) => [e.row, e.path]),
      [
        [1, 'organizationId'],
        [2, 'organizationExternalId'],
      ],
    );
    t.same(leaks(res.body), [], 'the answer names none of B’s records');
    // An external ID both tenants use names A's own record.
    const both = await asA('POST', '/v1/imports/people', JSON.stringify({ externalId: 'a-imp-3', fullName: 'Shared external id', organizationExternalId: 'crm-org' }), {
      'content-type': 'application/x-ndjson',
    });
    t.match(both.json(), { counts: { created: 1 } });
    const person = (await asA('GET', '/v1/people?externalId=a-imp-3')).json().data[0] as { organizationId: string };
    t.not(person.organizationId, B.org.id, "crm-org in A's import is A's crm-org");
    t.same(leaks(both.body), []);
  });

  // ---- 8. GraphQL: every root field of the schema, aimed at B's records ------------------------
  await t.test("GraphQL as A: every query and mutation aimed at B's records learns and changes nothing", async (t) => {
    const schema = app.graphqlSchema;
    const gqlA = async (query: string, variables: Record<string, unknown> = {}) => {
      const res = await app.inject({ method: 'POST', url: '/graphql', headers: tenantA.auth, payload: { query, variables } });
      return { body: res.body, ...(res.json() as { data: Record<string, unknown> | null; errors?: { extensions: { code: string; errors?: { path: string }[] } }[] }) };
    };
    // B's record of each type, and the name a root field gives it (`careerStrategy`, `CareerStrategy`).
    const bOf: Record<string, Entity> = {
      Organization: B.org,
      Person: B.p1,
      Relationship: B.relationship,
      Interview: B.interview,
      CareerStrategy: B.strategy,
      Opportunity: B.opportunity,
      QuestionTemplate: B.template,
    };
    const typeIn = (name: string) => Object.keys(bOf).find((type) => name.toLowerCase().includes(type.toLowerCase()))!;
    let graphqlChecks = 0;
    const fresh = await created(asA('POST', '/v1/people', { fullName: 'A Fresh' }), 'a person of A with no edges yet');

    for (const field of Object.values(schema.getQueryType()!.getFields())) {
      const args = new Set(field.args.map((a) => a.name));
      const type = getNamedType(field.type).name;
      if (field.name === 'viewer') {
        const { data, body } = await gqlA('{ viewer { tenant { id name } apiKey { id } } }');
        t.same(data, { viewer: { tenant: { id: tenantA.tenant.id, name: 'A' }, apiKey: { id: tenantA.keyId } } }, 'viewer is A');
        t.same(leaks(body), []);
      } else if (field.name === 'apiKeys') {
        const { data, body } = await gqlA('{ apiKeys { id } }');
        t.same((data!.apiKeys as { id: string }[]).map((k) => k.id).sort(), [...aKeyIds].sort(), "apiKeys: A's keys only");
        t.same(leaks(body), []);
      } else if (field.name === 'importJob') {
        const { data, body } = await gqlA(`query ($id: UUID!) { importJob(id: $id) { id errors { nodes { row } } } }`, { id: bJob.id });
        t.same(data, { importJob: null }, "importJob(id: B's): null");
        t.same(leaks(body), []);
      } else if (field.name === 'importJobs') {
        const { data, body } = await gqlA(`{ importJobs(first: 100) { nodes { id errors(first: 10) { nodes { row externalId } } } } }`);
        t.ok(data?.importJobs, 'importJobs answered');
        t.same(leaks(body), [], "importJobs: none of B's jobs");
      } else if (field.name === 'analytics') {
        const { data, body } = await gqlA(`{ analytics { funnel { opportunities } } bTag: analytics(filter: { tag: "B-tag" }) { interviewsByStatus { count } } }`);
        const aOpportunities = ((await asA('GET', '/v1/opportunities?limit=100')).json().data as unknown[]).length;
        t.same(data?.analytics, { funnel: { opportunities: aOpportunities } }, "analytics: A's records only");
        t.same((data?.bTag as { interviewsByStatus: { count: number }[] }).interviewsByStatus.reduce((n, c) => n + c.count, 0), 0, "analytics(tag: B's): nothing");
        t.same(leaks(body), []);
      } else if (field.name === 'webhooks') {
        const { data, body } = await gqlA('{ webhooks { id url status } }');
        t.ok((data!.webhooks as { id: string }[]).length > 0, "webhooks: A's subscription");
        t.same(leaks(body), [], "webhooks: none of B's");
      } else if (field.name === 'events') {
        let after: string | null = null;
        for (let pages = 0; pages < 50; pages++) {
          const { data, body } = await gqlA(`query ($after: String) { events(after: $after, first: 100) { nodes { entityId data } nextCursor hasMore } }`, { after });
          const page = data?.events as { nextCursor: string; hasMore: boolean };
          t.ok(page, body);
          t.same(leaks(body), [], "events: none of B's records");
          if (!page.hasMore) break;
          after = page.nextCursor;
        }
      } else if (args.has('id')) {
        const { data, body } = await gqlA(`query ($id: UUID!) { ${field.name}(id: $id) { id } }`, { id: bOf[type]!.id });
        t.same(data, { [field.name]: null }, `${field.name}(id: B's): null`);
        t.same(leaks(body), []);
      } else if (args.has('externalId')) {
        // A made records with B's external IDs above: the answer is A's record, or none.
        const { data, body } = await gqlA(`query ($e: String!) { ${field.name}(externalId: $e) { id } }`, { e: bOf[type]!.externalId });
        t.notOk(data === null, `${field.name}: answered`);
        t.same(leaks(body), [], `${field.name}(externalId: B's): never B's record`);
      } else if (args.has('filter')) {
        const filterType = schema.getType(`${type.replace(/Connection$/, '')}Filter`) as GraphQLInputObjectType;
        const all = await gqlA(`{ ${field.name}(first: 100) { totalCount nodes { id } } }`);
        t.same(leaks(all.body), [], `${field.name}: none of B's records`);
        // Every UUID filter aimed at a record of B's.
        for (const f of Object.values(filterType.getFields()).filter((f) => getNamedType(f.type).name === 'UUID')) {
          const target = f.name === 'organizationId' ? B.org : f.name === 'contactId' || f.name === 'intervieweeId' ? B.p2 : B.p1;
          const { data, body } = await gqlA(`query ($id: UUID!) { ${field.name}(filter: { ${f.name}: $id }) { totalCount nodes { id } } }`, { id: target.id });
          t.same(data, { [field.name]: { totalCount: 0, nodes: [] } }, `${field.name}(filter: { ${f.name}: B's }): empty`);
          t.same(leaks(body), []);
        }
      } else {
        t.fail(`Query.${field.name}: no case here; add one`);
      }
      graphqlChecks++;
    }

    // Every relation from A's own records: none reaches B's rows (B's referral chain included).
    const nested = await gqlA(`{
      people(first: 10) { nodes { organization { id } relationships(direction: BOTH, first: 3) { totalCount nodes { person { id } contact { id } introducedBy { id } } }
        interviews(role: ANY, first: 3) { totalCount nodes { requester { id } interviewee { id } organization { id } referrals { person { id } } questions { template { id } } opportunities { totalCount nodes { id } } } }
        opportunities(first: 3) { totalCount nodes { seeker { id } referredBy { id } sourceInterview { id } organization { id } } } opportunitiesReferred(first: 3) { totalCount nodes { id } }
        careerStrategies(first: 2) { totalCount nodes { person { id } targetOrganizations { id } informedBy { id } revisions(first: 2) { nodes { snapshot } } } } activeStrategy { id }
        progress { ratings { interviewId } activeStrategy { id revisions } interviewsByMonth { interviews } networkByMonth { total } opportunitiesByStatus { count } } } }
      organizations(first: 20) { nodes { people(first: 10) { totalCount nodes { id } } interviews(first: 10) { totalCount nodes { id } } opportunities(first: 10) { totalCount nodes { id } } } }
    }`);
    t.notOk(nested.errors, JSON.stringify(nested.errors));
    t.same(leaks(nested.body), [], "no relation of A's records reaches B's");
    graphqlChecks++;

    for (const field of Object.values(schema.getMutationType()!.getFields())) {
      const args = new Set(field.args.map((a) => a.name));
      const type = typeIn(field.name);
      if (args.has('id')) {
        // Every other required argument given as it would be; the record is B's.
        const required = field.args.filter((a) => a.name !== 'id' && isNonNullType(a.type));
        const variables: Record<string, unknown> = { id: bOf[type]!.id };
        for (const a of required) variables[a.name] = a.name === 'input' ? {} : a.name === 'scheduledAt' ? '2026-01-05T10:00:00Z' : undefined;
        const declared = required.map((a) => `, $${a.name}: ${a.type.toString()}`).join('');
        const passed = required.map((a) => `, ${a.name}: $${a.name}`).join('');
        const { errors, body } = await gqlA(`mutation ($id: UUID!${declared}) { ${field.name}(id: $id${passed}) { __typename } }`, variables);
        t.equal(errors?.[0]?.extensions.code, 'NOT_FOUND', `${field.name}(id: B's): NOT_FOUND`);
        t.same(leaks(body.replaceAll(bOf[type]!.id, '')), [], `${field.name}: names no B record but the one sent`);
      } else if (args.has('externalId')) {
        const input = {
          Organization: { name: 'A upsert' },
          Person: { fullName: 'A upsert' },
          Relationship: { personId: fresh.id, contactId: A.p1.id },
          Interview: { requesterId: A.p3.id, intervieweeId: A.p2.id },
          CareerStrategy: { personId: A.p3.id },
          Opportunity: { seekerId: A.p3.id, title: 'A upsert', advertised: true },
          QuestionTemplate: { text: 'A upsert?' },
        }[type];
        const { data, body } = await gqlA(`mutation ($e: String!, $input: Create${type}Input!) { ${field.name}(externalId: $e, input: $input) { created } }`, {
          e: `gql-${bOf[type]!.externalId}`,
          input,
        });
        t.same(data, { [field.name]: { created: true } }, `${field.name}: A's own record`);
        t.same(leaks(body), []);
      } else if (field.name.startsWith('create')) {
        // A reference to B's record is a field error, as a missing record would be.
        const input = {
          Organization: null,
          Person: { fullName: 'A ref', organizationId: B.org.id },
          Relationship: { personId: A.p1.id, contactId: B.p2.id },
          Interview: { requesterId: A.p1.id, intervieweeId: B.p2.id },
          CareerStrategy: { personId: B.p1.id },
          Opportunity: { seekerId: B.p1.id, title: 'A ref', advertised: true },
          QuestionTemplate: null,
        }[type];
        if (!input) continue; // an organization or a question template refers to nothing
        const { errors, body } = await gqlA(`mutation ($input: Create${type}Input!) { ${field.name}(input: $input) { __typename } }`, { input });
        t.equal(errors?.[0]?.extensions.code, 'BAD_USER_INPUT', `${field.name} referring to B's record`);
        t.same(leaks(body), []);
      } else {
        t.fail(`Mutation.${field.name}: no case here; add one`);
      }
      graphqlChecks++;
    }
    t.comment(`GraphQL: ${graphqlChecks} root fields and the nested relations checked`);
  });

  // ---- 6. B afterwards ---------------------------------------------------------------------
  await t.test('B afterwards: every record, revision and key as before, and its keys still work', async (t) => {
    const after = await snapshotOfB(t);
    for (const part of Object.keys(before)) t.same(after[part], before[part], `B's ${part} unchanged`);
    t.equal((after['career-strategies'] as Entity[]).find((s) => s.id === B.strategy.id)?.version, 2, "B's strategy still at version 2");
    for (const [name, secret] of [
      ['the key B created over the API', bKey.secret],
      ["B's first key", tenantB.key],
    ] as const) {
      const res = await app.inject({ url: '/v1/tenant', headers: { authorization: `Bearer ${secret}` } });
      t.equal(res.statusCode, 200, `${name} still works`);
      t.equal(res.json().id, tenantB.tenant.id, `${name} is still B's`);
    }
    t.ok(
      (after['api-keys'] as { id: string; revokedAt: unknown }[]).every((k) => k.revokedAt === null),
      "none of B's keys was revoked by A's DELETE /v1/api-keys/{id}",
    );
  });

  t.comment(
    `checked: ${operations.length} operations; ${idChecks} {id} probes, ${listChecks} list queries, ${referenceChecks} reference writes, ${postChecks} creates with B's Idempotency-Key, ${upsertChecks} upserts of B's externalIds`,
  );
});
