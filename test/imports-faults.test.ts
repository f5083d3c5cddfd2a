import t from 'tap';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { buildTestApp, restCaller, tenantWithKey } from './helpers/app.js';
import { engineName, freshDatabase } from './helpers/database.js';

// Bulk import at size and under faults: a 10,000-row file with 500 bad rows of mixed kinds at
// known positions, reported exactly; a client that leaves mid-body and a database connection
// killed mid-batch leave the job failed with exact counts of what landed, and running the file
// again completes it without duplicates.

const ndjson = (rows: unknown[]) => rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';
const person = (i: number) => ({ externalId: `p-${i}`, fullName: `Person ${i}`, roles: ['student'], organizationExternalId: i % 3 ? 'acme' : undefined });

t.test('imports at size and under faults', async (t) => {
  const { database } = await freshDatabase(t);
  const { app } = await buildTestApp(t, {}, database);
  const owner = await tenantWithKey(database);
  const rest = restCaller(app, owner.auth);
  const post = (entity: string, body: string) =>
    app.inject({ method: 'POST', url: `/v1/imports/${entity}`, headers: { ...owner.auth, 'content-type': 'application/x-ndjson' }, payload: body });
  t.equal((await post('organizations', ndjson([{ externalId: 'acme', name: 'Acme' }]))).statusCode, 201);
  const people = async () => Number(((await database.db.execute(sql`select count(*)::int as n from people`)) as unknown as { rows: { n: number }[] }).rows[0]!.n);

  t.test('10,000 rows, 500 bad ones of five kinds at known positions: each reported, the rest land', async (t) => {
    const kinds = ['not JSON', 'unknown organization', 'bad email', 'duplicate externalId', 'no name'] as const;
    const expected = new Map<number, { kind: string; path: string }>();
    const rows = Array.from({ length: 10_000 }, (_, i) => {
      const row = i + 1;
      if (row % 20 !== 0) return person(row);
      const kind = kinds[(row / 20) % kinds.length]!;
      if (kind === 'not JSON') return expected.set(row, { kind, path: '' }), `{"externalId": "p-${row}",`;
      if (kind === 'unknown organization') return expected.set(row, { kind, path: 'organizationExternalId' }), { ...person(row), organizationExternalId: 'nowhere' };
      if (kind === 'bad email') return expected.set(row, { kind, path: 'emails.0' }), { ...person(row), emails: ['not-an-email'] };
      if (kind === 'duplicate externalId') return expected.set(row, { kind, path: 'externalId' }), { ...person(row), externalId: `p-${row - 1}` };
      return expected.set(row, { kind, path: 'fullName' }), { externalId: `p-${row}`, roles: ['student'] };
    });
    const res = await post('people', ndjson(rows));
    t.equal(res.statusCode, 201);
    const job = res.json();
    t.match(job, { status: 'partially_succeeded', counts: { received: 10_000, created: 9_500, updated: 0, unchanged: 0, failed: 500 } });
    t.equal(job.errors.length, 100, 'the answer holds the first 100');
    // Every error, paged.
    const errors: { row: number; path: string; externalId: string | null }[] = [];
    for (let cursor: string | null = ''; cursor !== null; ) {
      const page: { data: typeof errors; nextCursor: string | null } = (await rest('GET', `/v1/imports/${job.id}/errors?limit=1000${cursor ? `&cursor=${cursor}` : ''}`)).json();
      errors.push(...page.data);
      cursor = page.nextCursor;
    }
    t.equal(errors.length, 500, 'one error a bad row');
    t.same(
      errors.map((e) => [e.row, e.path]),
      [...expected].map(([row, { path }]) => [row, path]),
      'each at its row, with its field',
    );
    t.same(
      job.errors.map((e: { row: number }) => e.row),
      errors.slice(0, 100).map((e) => e.row),
      'the answer’s are the first 100, in row order (batches are written two at a time)',
    );
    t.equal(await people(), 9_500);
    const again = (await post('people', ndjson(rows))).json();
    t.match(again.counts, { received: 10_000, created: 0, updated: 0, unchanged: 9_500, failed: 500 }, 'the same file again writes nothing');
  });

  t.test('a client that leaves mid-body: the job is failed with what landed; the file again completes it', async (t) => {
    await database.db.execute(sql`delete from people`);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const rows = Array.from({ length: 1_500 }, (_, i) => person(i + 1));
    const lines = ndjson(rows).split('\n');
    const keyed = { ...owner.auth, 'content-type': 'application/x-ndjson', 'idempotency-key': 'nightly-1' };
    const client = request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/imports/people', headers: keyed });
    client.on('error', () => undefined); // we cut it ourselves
    // Two batches' worth (500 each) and some of the third; then wait until both landed, and cut.
    client.write(lines.slice(0, 1_200).join('\n') + '\n');
    let running: { id: string; counts: { received: number } } | undefined;
    for (let i = 0; i < 200 && !(running && running.counts.received >= 1_000); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      running = (await rest('GET', '/v1/imports?status=running&entity=people')).json().data[0];
    }
    t.ok(running, 'the job shows while it runs');
    t.equal(running!.counts.received, 1_000, 'two batches landed, each with its progress');
    const meanwhile = await app.inject({ method: 'POST', url: '/v1/imports/people', headers: keyed, payload: ndjson(rows) });
    t.equal(meanwhile.statusCode, 409, 'a retry with its Idempotency-Key while it runs');
    t.match(meanwhile.json(), { code: 'conflict', detail: /Idempotency-Key is still running/ });
    client.destroy();
    let job: { status: string; counts: Record<string, number> } | undefined;
    for (let i = 0; i < 200 && job?.status !== 'failed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      job = (await rest('GET', `/v1/imports/${running!.id}`)).json();
    }
    t.match(job, { status: 'failed', counts: { received: 1_000, created: 1_000, failed: 0 } }, 'exact counts of what landed');
    t.equal(await people(), 1_000);
    const again = (await app.inject({ method: 'POST', url: '/v1/imports/people', headers: keyed, payload: ndjson(rows) })).json();
    t.match(again, { status: 'succeeded', counts: { received: 1_500, created: 500, unchanged: 1_000 } }, 'the rest, without duplicates: a run broken off is not replayed');
    t.not(again.id, running!.id);
    t.equal(await people(), 1_500);
    const replay = await app.inject({ method: 'POST', url: '/v1/imports/people', headers: keyed, payload: ndjson(rows) });
    t.equal(replay.headers['idempotent-replayed'], 'true');
    t.equal(replay.json().id, again.id, 'the completing run is the one remembered');
  });

  t.test('a database connection killed mid-batch: the job is failed with what landed', { skip: engineName !== 'postgres' && 'a server engine only' }, async (t) => {
    await database.db.execute(sql`delete from people`);
    // The third batch's transaction kills its own connection, as an operator's pg_terminate_backend would.
    await database.db.execute(sql`
      create function kill_own_backend() returns trigger language plpgsql security definer as $$
      begin perform pg_terminate_backend(pg_backend_pid()); return new; end $$`);
    await database.db.execute(sql`create trigger kill_on_name before insert on people for each row when (new.full_name = 'KILL') execute function kill_own_backend()`);
    const rows = Array.from({ length: 1_500 }, (_, i) => (i + 1 === 1_200 ? { ...person(i + 1), fullName: 'KILL' } : person(i + 1)));
    const res = await post('people', ndjson(rows));
    t.equal(res.statusCode, 503, 'the database failed the request');
    const [job] = (await rest('GET', '/v1/imports?entity=people&limit=1')).json().data;
    t.match(job, { status: 'failed', counts: { received: 1_000, created: 1_000 } }, 'the first two batches landed, the third did not');
    t.equal(await people(), 1_000);
    await database.db.execute(sql`drop trigger kill_on_name on people`);
    const again = (await post('people', ndjson(rows))).json();
    t.match(again, { status: 'succeeded', counts: { created: 500, unchanged: 1_000 } });
    t.equal(await people(), 1_500);
  });
});
