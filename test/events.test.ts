import t from 'tap';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../src/db/client.js';
import { withTenant } from '../src/db/tenant-transaction.js';
import { pruneEvents } from '../src/modules/events/events.repository.js';
import { EVENT_TYPES } from '../src/modules/events/events.schemas.js';
import { buildTestApp, restCaller, tenantWithKey } from './helpers/app.js';
import { TEST_DATABASE_URL } from './helpers/database.js';
import { graphqlCaller } from './helpers/graphql.js';

// The change feed (GET /v1/events, Query.events): every write path appends exactly its events
// in its own transaction, and a reader following the cursor sees every committed event once,
// in commit order, even while transactions commit out of the order they began.

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

t.test('the change feed', async (t) => {
  const { app, database } = await buildTestApp(t);
  const owner = await tenantWithKey(database, 'Feed Center', { questionBank: false });
  const other = await tenantWithKey(database, 'Other Center', { questionBank: false });
  const call = restCaller(app, owner.auth);
  const gql = graphqlCaller<Json>(app, owner.auth);

  /** Every event after `cursor`, following pages of `limit`; and the cursor to read on from. */
  const follow = async (cursor: string, query = '', limit = 100, auth = owner.auth): Promise<{ events: Json[]; cursor: string; pages: number }> => {
    const events: Json[] = [];
    let pages = 0;
    for (;;) {
      const res = await app.inject({ method: 'GET', url: `/v1/events?${cursor ? `after=${cursor}&` : ''}limit=${limit}${query}`, headers: auth });
      if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
      const page = res.json();
      events.push(...page.data);
      cursor = page.nextCursor;
      pages++;
      if (!page.hasMore) return { events, cursor, pages };
    }
  };
  const head = async () => (await call('GET', '/v1/events?after=latest')).json().nextCursor as string;
  /** What `work` appends to the feed, as [type, entityId] pairs (and the events). */
  const eventsOf = async (work: () => Promise<unknown>) => {
    const from = await head();
    await work();
    const { events } = await follow(from);
    return { events, pairs: events.map((e) => [e.type, e.entityId]) };
  };
  const created = async (path: string, body: Json) => {
    const res = await call('POST', path, body);
    if (res.statusCode !== 201) throw new Error(res.body);
    return res.json();
  };

  t.test('every entity table has its three event triggers', async (t) => {
    // An entity table is one with an external_id and an updated_at: a new one without triggers would change silently.
    const tables = rowsOf<{ tbl: string; triggers: number }>(
      await database.db.execute(sql`
        select c.relname as tbl, count(tg.oid)::int as triggers
          from pg_class c
          join pg_attribute x on x.attrelid = c.oid and x.attname = 'external_id'
          join pg_attribute v on v.attrelid = c.oid and v.attname = 'updated_at'
          left join pg_trigger tg on tg.tgrelid = c.oid and tg.tgname like '%_events_%'
         where c.relkind = 'r' and c.relnamespace = 'public'::regnamespace
         group by c.relname order by 1`),
    );
    t.same(tables, ['career_strategies', 'interviews', 'opportunities', 'organizations', 'people', 'question_templates', 'relationships'].map((tbl) => ({ tbl, triggers: 3 })));
  });

  t.test('each write path emits exactly its events, with the record as GET shows it', async (t) => {
    let ana: Json = {};
    const made = await eventsOf(async () => (ana = await created('/v1/people', { fullName: 'Ana', externalId: 'p-ana', tags: ['cs'] })));
    t.same(made.pairs, [['person.created', ana.id]], 'a create: one event');
    t.match(made.events[0], { entity: 'person', externalId: 'p-ana', version: 1, changedFields: null });
    t.same(made.events[0]!.data, ana, 'its data is the record as created');

    t.same((await eventsOf(() => call('PATCH', `/v1/people/${ana.id}`, { fullName: 'Ana', tags: ['cs'] }))).pairs, [], 'a patch that changes nothing: no event');
    const patched = await eventsOf(() => call('PATCH', `/v1/people/${ana.id}`, { title: 'Student', tags: null }));
    t.same(patched.pairs, [['person.updated', ana.id]]);
    t.same(patched.events[0]!.changedFields, ['tags', 'title'], 'the fields set, as the API names them, without the stamps');
    t.same(patched.events[0]!.data, (await call('GET', `/v1/people/${ana.id}`)).json());

    const upserted = await eventsOf(() => call('PUT', '/v1/people/external/p-ben', { fullName: 'Ben' }));
    const ben = (await call('GET', '/v1/people?externalId=p-ben')).json().data[0];
    t.same(upserted.pairs, [['person.created', ben.id]], 'an upsert that creates');
    t.same((await eventsOf(() => call('PUT', '/v1/people/external/p-ben', { fullName: 'Ben' }))).pairs, [], 'an upsert that changes nothing');
    const gqlMade = await eventsOf(() => gql('mutation { createPerson(input: { fullName: "Cleo" }) { person { id } } }'));
    t.match(gqlMade.pairs, [['person.created', /-/]], 'a GraphQL mutation, through the same service');

    // An interview: status moves are their own type; a change of the referrals list alone is one too.
    const acme = await created('/v1/organizations', { name: 'Acme' });
    let iv: Json = {};
    const ivMade = await eventsOf(async () => (iv = await created('/v1/interviews', { requesterId: ana.id, intervieweeId: ben.id, organizationId: acme.id })));
    t.same(ivMade.pairs, [['interview.created', iv.id]]);
    t.same(ivMade.events[0]!.data, iv, 'an interview with its child lists');
    const moved = await eventsOf(() => call('PATCH', `/v1/interviews/${iv.id}`, { status: 'requested', notes: 'asked' }));
    t.same(moved.pairs, [['interview.status_changed', iv.id]]);
    t.same(moved.events[0]!.changedFields, ['notes', 'status']);
    const cleo = (await call('GET', '/v1/people?q=Cleo')).json().data[0];
    const referred = await eventsOf(() => call('PATCH', `/v1/interviews/${iv.id}`, { referrals: [{ personId: cleo.id, note: 'her manager' }] }));
    const referralEdge = referred.events.find((e) => e.type === 'relationship.created');
    t.ok(referralEdge, 'the relationship a new referral makes is its own event');
    const ivEvent = referred.events.find((e) => e.entity === 'interview')!;
    t.match(ivEvent, { type: 'interview.updated', changedFields: ['referrals'] }, 'a change of a child list alone');
    t.same(ivEvent.data, (await call('GET', `/v1/interviews/${iv.id}`)).json(), 'its data holds the list as it is after the change');
    t.same(referred.events.length, 2);

    // A cascade: every record it changes or deletes, in the transaction of the delete.
    const strategy = await created('/v1/career-strategies', { personId: ana.id, targetOrganizationIds: [acme.id], informedByInterviewIds: [iv.id] });
    const orgGone = await eventsOf(() => call('DELETE', `/v1/organizations/${acme.id}?cascade=true`));
    t.same(
      orgGone.pairs.sort(),
      [['career_strategy.updated', strategy.id], ['interview.updated', iv.id], ['organization.deleted', acme.id]].sort(),
      'the organization, the interview that named it, the strategy that targeted it',
    );
    t.same(orgGone.events.find((e) => e.entity === 'career_strategy')!.changedFields, ['targetOrganizationIds']);
    t.same(orgGone.events.find((e) => e.entity === 'organization')!.data, { id: acme.id, externalId: null }, 'a deletion: its id and externalId');
    t.equal(new Set(orgGone.events.map((e) => e.cursor.length > 0 && e.occurredAt)).size, 1, 'one transaction');
    const personGone = await eventsOf(() => call('DELETE', `/v1/people/${ana.id}?cascade=true`));
    t.same(
      personGone.pairs.map(([type]) => type).sort(),
      ['career_strategy.deleted', 'interview.deleted', 'person.deleted', 'relationship.deleted'],
      'the person and what went with them',
    );

    // A bulk import: one commit per batch, an event per row written, none for a row unchanged.
    const ndjson = (names: string[]) => names.map((n, i) => JSON.stringify({ externalId: `imp-${i}`, fullName: n })).join('\n');
    const post = (body: string) =>
      app.inject({ method: 'POST', url: '/v1/imports/people', headers: { ...owner.auth, 'content-type': 'application/x-ndjson' }, payload: body });
    const imported = await eventsOf(() => post(ndjson(['Dee', 'Eli', 'Fay'])));
    t.same(imported.pairs.map(([type]) => type), ['person.created', 'person.created', 'person.created']);
    t.same(imported.events.map((e) => e.externalId), ['imp-0', 'imp-1', 'imp-2'], 'in the order of the file');
    const again = await eventsOf(() => post(ndjson(['Dee', 'Eli (renamed)', 'Fay'])));
    t.same(again.pairs.map(([type]) => type), ['person.updated'], 'a re-import: only the row that changed');
    t.same(again.events[0]!.changedFields, ['fullName']);

    const all = await follow('');
    t.same(all.events.filter((e) => !EVENT_TYPES.includes(e.type)), [], 'every type written is one of the list');
  });

  t.test('reading the feed', async (t) => {
    const start = await head();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await created('/v1/people', { fullName: `Reader ${i}` })).id);
    await created('/v1/organizations', { name: 'Globex' });
    const paged = await follow(start, '', 2);
    t.equal(paged.pages, 3, '6 events in pages of 2');
    t.same(paged.events.slice(0, 5).map((e) => e.entityId), ids, 'in commit order');
    t.equal(paged.cursor, await head(), 'the last page moves the cursor to the head');
    t.same((await follow(paged.cursor)).events, [], 'nothing after the head');

    const people = await follow(start, '&types=person.created');
    t.equal(people.events.length, 5, 'a type filter');
    t.equal(people.cursor, await head(), 'and its cursor still moves past what it left out');
    t.same((await follow(start, '&types=organization.*')).events.map((e) => e.type), ['organization.created'], 'a wildcard');

    const gqlPage = await gql('query ($after: String) { events(after: $after, first: 3, types: ["person.*"]) { nodes { id type entityId data cursor } nextCursor hasMore } }', { after: start });
    t.same(gqlPage.data!.events.nodes.map((e: Json) => e.entityId), ids.slice(0, 3), 'GraphQL: the same feed');
    t.equal(gqlPage.data!.events.hasMore, true);
    t.same(gqlPage.data!.events.nodes[0].data, paged.events[0]!.data);
    t.notOk((await gql('{ events(first: 100) { nodes { id type data changedFields } nextCursor hasMore } }')).errors, 'a full page is within the cost bound');

    // Malformed input: each a 400 naming its parameter, and nothing read.
    const bad = async (query: string, path: string) => {
      const res = await call('GET', `/v1/events?${query}`);
      t.equal(res.statusCode, 400, query);
      t.same(res.json().errors.map((e: Json) => e.path), [path], query);
    };
    await bad('after=not-a-cursor', 'query.after');
    await bad(`after=${Buffer.from('1.-1').toString('base64url')}`, 'query.after');
    await bad(`after=${Buffer.from('99999999.0').toString('base64url')}`, 'query.after');
    await bad(`after=${Buffer.from('1.99999999999999999999').toString('base64url')}`, 'query.after');
    await bad('types=person.exploded', 'query.types');
    await bad('types=person.created,%00', 'query.types');
    await bad('limit=101', 'query.limit');
    await bad('limit=-1', 'query.limit');
    await bad('after=x&after=y', 'query.after');
    await bad('since=2026-01-01', 'query.since');
    // In GraphQL, the same errors named as the arguments.
    for (const [query, path] of [
      ['{ events(after: "bogus") { nextCursor } }', 'after'],
      ['{ events(types: ["nope"]) { nextCursor } }', 'types'],
      ['{ events(first: 0) { nextCursor } }', 'first'],
    ] as const) {
      const extensions = (await gql(query)).errors?.[0]?.extensions;
      t.same([extensions?.code, extensions?.errors?.map((e: Json) => e.path)], ['BAD_USER_INPUT', [path]], query);
    }

    // Another tenant sees none of it; a key without `read` none at all.
    const theirs = await follow('latest', '', 100, other.auth);
    t.same(theirs.events, []);
    const fromStart = (await app.inject({ method: 'GET', url: '/v1/events?limit=100', headers: other.auth })).json();
    t.same(fromStart.data, [], "another tenant's feed holds none of these events");
    t.equal((await app.inject({ method: 'GET', url: `/v1/events?after=${paged.cursor}`, headers: other.auth })).statusCode, 400, 'and this cursor is past its head');
    const writer = await owner.mintKey(['write']);
    t.equal((await app.inject({ method: 'GET', url: '/v1/events', headers: { authorization: `Bearer ${writer}` } })).statusCode, 403);
  });

  t.test('retention: a cursor older than the feed keeps is a 410 saying how to resync', async (t) => {
    const old = await head();
    await created('/v1/people', { fullName: 'Before the sweep' });
    const kept = (await follow('')).events.length;
    // Three commits a step: the sweep takes many short steps.
    const removed = await pruneEvents(database.db, 0, 3);
    t.equal(removed, kept, `every event committed before the sweep: ${removed}, step by step`);
    const gone = await call('GET', `/v1/events?after=${old}`);
    t.equal(gone.statusCode, 410);
    t.match(gone.json(), { code: 'cursor_expired', detail: /Resync/, resync: { cursor: '/v1/events?after=latest' } });
    t.equal((await gql('query ($a: String) { events(after: $a) { nextCursor } }', { a: old })).errors?.[0]?.extensions.code, 'CURSOR_EXPIRED');
    const now = await head();
    t.equal((await call('GET', `/v1/events?after=${now}`)).statusCode, 200, 'the head is not expired');
    const fresh = await created('/v1/people', { fullName: 'After the sweep' });
    t.same((await follow(now)).events.map((e) => e.entityId), [fresh.id], 'and the feed goes on from it');
    t.same((await call('GET', '/v1/events')).json().data.map((e: Json) => e.entityId), [fresh.id], 'from the start: the oldest kept');
  });

});

t.test('8 concurrent writers and a reader following the feed: every committed event once, in commit order', { skip: !TEST_DATABASE_URL && 'one connection: the embedded engine runs one transaction at a time' }, async (t) => {
  const { app, database } = await buildTestApp(t);
  const owner = await tenantWithKey(database, 'Busy Center', { questionBank: false });
  const read = async (cursor: string) => (await app.inject({ method: 'GET', url: `/v1/events?after=${cursor}&limit=7`, headers: owner.auth })).json();
  let cursor = (await read('latest')).nextCursor as string;
  const seen: Json[] = [];
  let writing = true;
  // Each writer's transactions take their sequence numbers early and commit after a random
  // pause, so they commit in another order than they wrote.
  const writer = async (w: number) => {
    for (let i = 0; i < 12; i++) {
      await withTenant(database.db, owner.tenant.id, async (tx) => {
        await tx.execute(sql`insert into people (tenant_id, full_name) values (${owner.tenant.id}, ${`w${w}-${i}`}), (${owner.tenant.id}, ${`w${w}-${i}b`})`);
        await tx.execute(sql`select pg_sleep(${Math.random() * 0.02})`);
        if (i % 3 === 0) await tx.execute(sql`update people set title = 'x', version = version + 1 where tenant_id = ${owner.tenant.id} and full_name = ${`w${w}-${i}`}`);
      });
    }
  };
  const reader = async () => {
    while (writing) {
      const page = await read(cursor);
      seen.push(...page.data);
      cursor = page.nextCursor;
    }
    for (let page = await read(cursor); ; page = await read(cursor)) {
      seen.push(...page.data);
      cursor = page.nextCursor;
      if (!page.hasMore && page.data.length === 0) break;
    }
  };
  const reading = reader();
  await Promise.all(Array.from({ length: 8 }, (_, w) => writer(w)));
  writing = false;
  await reading;
  const committed = (await app.inject({ method: 'GET', url: `/v1/events?limit=100`, headers: owner.auth })).json();
  const everything: Json[] = [...committed.data];
  for (let page = committed; page.hasMore; ) {
    page = (await app.inject({ method: 'GET', url: `/v1/events?after=${page.nextCursor}&limit=100`, headers: owner.auth })).json();
    everything.push(...page.data);
  }
  t.equal(everything.length, 8 * 12 * 2, 'two people per transaction (an update merges into its create)');
  t.equal(new Set(seen.map((e) => e.id)).size, seen.length, 'nothing twice');
  t.same(new Set(seen.map((e) => e.id)), new Set(everything.map((e) => e.id)), 'nothing skipped: the set read live equals the set committed');
  t.same(seen.map((e) => e.id), everything.map((e) => e.id), 'in the same order');
});
