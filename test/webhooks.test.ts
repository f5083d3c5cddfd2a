import t from 'tap';
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { isPrivateAddress } from '../src/modules/webhooks/target-safety.js';
import { backoffMs } from '../src/modules/webhooks/webhook-worker.js';
import { pruneDeliveries } from '../src/modules/webhooks/webhooks.repository.js';
import { pruneEvents } from '../src/modules/events/events.repository.js';
import { buildTestApp, restCaller, tenantWithKey } from './helpers/app.js';
import { childEnv } from './helpers/child-env.js';
import { freshDatabase, TEST_DATABASE_URL } from './helpers/database.js';
import { graphqlCaller } from './helpers/graphql.js';

// Webhooks: subscriptions (admin), deliveries signed per Standard Webhooks and checked here with
// the `standardwebhooks` library by a real HTTP receiver, retries with the same webhook-id, the
// retry window's end, workers killed or running twice, and refused private targets.

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A receiver on 127.0.0.1: records each request, answers with `respond` (a status, or 'hang'). */
async function receiver(t: { teardown(fn: () => unknown): void }, respond: (n: number, req: Received) => number | 'hang' | { status: number; afterMs: number } = () => 200) {
  const received: Received[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const got = { headers: req.headers, body };
      received.push(got);
      const answer = respond(received.length, got);
      if (answer === 'hang') return hanging.push(res);
      if (typeof answer === 'object') return setTimeout(() => res.writeHead(answer.status).end('late'), answer.afterMs);
      // A failure's answer: a NUL (which PostgreSQL's text refuses), and more than the 1 KB kept.
      res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer === 200 ? 'ok' : `no:\u0000${'x'.repeat(3000)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

const until = async (what: string, ok: () => boolean, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
};

const FAST = { WEBHOOK_WORKER: 'true', WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_POLL_MS: '20', WEBHOOK_RETRY_BASE_MS: '20', WEBHOOK_TIMEOUT_MS: '2000' };

t.test('addresses a webhook may not reach', async (t) => {
  for (const address of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', 'fec0::1', '2002:a00:1::1', '64:ff9b:1::a00:1', '::10.0.0.1', 'not-an-ip'])
    t.ok(isPrivateAddress(address), `${address} refused`);
  for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8']) t.notOk(isPrivateAddress(address), `${address} allowed`);
  t.same([1, 2, 3, 30].map((n) => backoffMs(n, 1000, 1)), [1000, 2000, 4000, 3_600_000], 'doubling, capped at an hour');
  t.equal(backoffMs(3, 1000, 0), 2000, 'jitter: at least half the wait');
});

t.test('subscriptions, signed deliveries, retries, rotation', async (t) => {
  const { app, database } = await buildTestApp(t, FAST);
  const owner = await tenantWithKey(database, 'Hooks Center', { questionBank: false });
  const other = await tenantWithKey(database, 'Other Center', { questionBank: false });
  const call = restCaller(app, owner.auth);
  let failFirst = 0;
  const hook = await receiver(t, (n) => (n <= failFirst ? 500 : 200));

  const made = await call('POST', '/v1/webhooks', { url: hook.url, types: ['person.*', 'interview.status_changed'], description: 'CRM' });
  t.equal(made.statusCode, 201, made.body);
  const sub = made.json();
  t.ok(sub.secret, "the secret, once");
  t.match(sub, { url: hook.url, types: ['person.*', 'interview.status_changed'], status: 'active', secret: /^whsec_/ });
  t.equal(made.headers.location, `/v1/webhooks/${sub.id}`);
  t.notOk('secret' in (await call('GET', `/v1/webhooks/${sub.id}`)).json(), 'the secret is shown once');
  t.notOk('secret' in (await call('GET', '/v1/webhooks')).json().data[0]);
  // The receiver's secret (it follows the rotation below).
  let verifier = new Webhook(sub.secret);

  t.test('each event once, in order, each signature valid', async (t) => {
    const people: string[] = [];
    for (let i = 0; i < 5; i++) people.push((await call('POST', '/v1/people', { fullName: `Hooked ${i}` })).json().id);
    await call('POST', '/v1/organizations', { name: 'Not subscribed' });
    await until('five deliveries', () => hook.received.length >= 5);
    await sleep(100);
    t.equal(hook.received.length, 5, 'the organization is not among the types');
    const bodies = hook.received.map((r) => verifier.verify(r.body, r.headers as Record<string, string>) as Json);
    t.same(bodies.map((b) => b.data.entityId), people, 'in feed order, every signature verified');
    t.same(bodies.map((b) => b.type), Array(5).fill('person.created'));
    t.equal(bodies[0]!.data.data.fullName, 'Hooked 0', 'the event, with the record');
    t.same(hook.received.map((r) => r.headers['webhook-id']), bodies.map((b) => b.data.id), 'webhook-id is the event id');
    t.throws(() => new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(hook.received[0]!.body, hook.received[0]!.headers as Record<string, string>), 'another secret does not verify');
  });

  t.test('a receiver that fails three times, then answers: the same webhook-id each time', async (t) => {
    hook.received.length = 0;
    failFirst = 3;
    const person = (await call('POST', '/v1/people', { fullName: 'Retried' })).json();
    await until('four attempts', () => hook.received.length >= 4);
    t.same(new Set(hook.received.map((r) => r.headers['webhook-id'])).size, 1, 'one webhook-id');
    t.ok(hook.received.every((r) => verifier.verify(r.body, r.headers as Record<string, string>)), 'each attempt signed anew');
    // The receiver has answered; the worker records the outcome just after.
    const eventId = (verifier.verify(hook.received[0]!.body, hook.received[0]!.headers as Record<string, string>) as Json).data.id;
    let last: Json | undefined;
    for (const end = Date.now() + 10_000; Date.now() < end && last?.status !== 'succeeded'; await sleep(20))
      last = ((await call('GET', `/v1/webhooks/${sub.id}/deliveries`)).json().data as Json[]).find((d) => d.eventId === eventId);
    t.match(last, { status: 'succeeded', attempts: 4, responseStatus: 200, responseBody: 'ok', durationMs: Number });
    t.equal(JSON.parse(hook.received[0]!.body).data.entityId, person.id);
    failFirst = 0;
  });

  t.test('rotation: both secrets verify during the overlap; test and redeliver', async (t) => {
    const rotated = await call('POST', `/v1/webhooks/${sub.id}/rotate-secret`, { overlapSeconds: 3600 });
    t.equal(rotated.statusCode, 200, rotated.body);
    t.match(rotated.json(), { secret: /^whsec_/, previousSecretExpiresAt: String });
    hook.received.length = 0;
    const tested = await call('POST', `/v1/webhooks/${sub.id}/test`);
    t.match(tested.json(), { eventType: 'webhook.test', status: 'succeeded', attempts: 1, responseStatus: 200 });
    const got = hook.received[0]!;
    t.match(got.headers['webhook-signature'], /^v1,\S+ v1,\S+$/, 'two signatures');
    t.ok(verifier.verify(got.body, got.headers as Record<string, string>), 'the old secret verifies');
    t.ok(new Webhook(rotated.json().secret).verify(got.body, got.headers as Record<string, string>), 'the new one too');
    const redo = await call('POST', `/v1/webhooks/deliveries/${tested.json().id}/redeliver`);
    t.equal(redo.statusCode, 202);
    await until('the redelivery', () => hook.received.length >= 2);
    t.equal(hook.received[1]!.headers['webhook-id'], got.headers['webhook-id'], 'the same webhook-id again');
    const now = await call('POST', `/v1/webhooks/${sub.id}/rotate-secret`, { overlapSeconds: 0 });
    hook.received.length = 0;
    await call('POST', `/v1/webhooks/${sub.id}/test`);
    t.throws(() => verifier.verify(hook.received[0]!.body, hook.received[0]!.headers as Record<string, string>), 'without overlap the old secret no longer verifies');
    t.ok(new Webhook(now.json().secret).verify(hook.received[0]!.body, hook.received[0]!.headers as Record<string, string>));
    verifier = new Webhook(now.json().secret);
  });

  t.test('deliveries page newest first, each once, by their cursor', async (t) => {
    const all = (await call('GET', `/v1/webhooks/${sub.id}/deliveries?limit=100`)).json().data as Json[];
    t.ok(all.length > 5, `${all.length} deliveries`);
    t.same(all.map((d) => d.createdAt), all.map((d) => d.createdAt).sort().reverse(), 'newest first');
    const paged: Json[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: Json[]; nextCursor: string | null } = (await call('GET', `/v1/webhooks/${sub.id}/deliveries?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
      paged.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    t.same(paged.map((d) => d.id), all.map((d) => d.id), 'pages of 2 give the same list: nothing skipped, nothing twice');
  });

  t.test('malformed input, scope and tenants', async (t) => {
    const bad = async (method: 'POST' | 'PATCH' | 'GET', url: string, body: unknown, paths: string[]) => {
      const res = await call(method, url, body);
      t.equal(res.statusCode, 400, `${method} ${url} ${JSON.stringify(body)}`);
      t.same(res.json().errors.map((e: Json) => e.path).sort(), paths, res.body);
    };
    await bad('POST', '/v1/webhooks', { url: 'not a url', types: [] }, ['types', 'url']);
    await bad('POST', '/v1/webhooks', { url: hook.url, types: ['person.exploded'], secret: 'mine' }, ['secret', 'types.0']);
    await bad('POST', '/v1/webhooks', { url: 'ftp://example.org/x', types: ['person.*'] }, ['url']);
    await bad('POST', '/v1/webhooks', { url: 'https://user:pw@example.org/x', types: ['person.*'] }, ['url']);
    await bad('PATCH', `/v1/webhooks/${sub.id}`, { status: 'paused', url: '' }, ['status', 'url']);
    await bad('POST', `/v1/webhooks/${sub.id}/rotate-secret`, { overlapSeconds: 10 ** 9 }, ['overlapSeconds']);
    await bad('GET', `/v1/webhooks/${sub.id}/deliveries?limit=0&cursor=zzz`, undefined, ['query.limit']);
    t.equal((await call('GET', `/v1/webhooks/${sub.id}/deliveries?cursor=zzz`)).statusCode, 400, 'a forged cursor');
    t.equal((await call('POST', '/v1/webhooks/deliveries/nope/redeliver')).statusCode, 400);
    const theirs = restCaller(app, other.auth);
    for (const [method, url] of [
      ['GET', `/v1/webhooks/${sub.id}`],
      ['PATCH', `/v1/webhooks/${sub.id}`],
      ['DELETE', `/v1/webhooks/${sub.id}`],
      ['POST', `/v1/webhooks/${sub.id}/test`],
      ['POST', `/v1/webhooks/${sub.id}/rotate-secret`],
      ['GET', `/v1/webhooks/${sub.id}/deliveries`],
    ] as const)
      t.equal((await theirs(method, url, method === 'PATCH' ? { description: 'mine' } : undefined)).statusCode, 404, `another tenant: ${method} ${url}`);
    const delivery = (await call('GET', `/v1/webhooks/${sub.id}/deliveries?limit=1`)).json().data[0];
    t.equal((await theirs('POST', `/v1/webhooks/deliveries/${delivery.id}/redeliver`)).statusCode, 404);
    t.same((await theirs('GET', '/v1/webhooks')).json().data, []);
    const reader = await owner.mintKey(['read', 'write']);
    t.equal((await app.inject({ method: 'GET', url: '/v1/webhooks', headers: { authorization: `Bearer ${reader}` } })).statusCode, 403, 'admin only');
    t.equal((await call('GET', `/v1/webhooks/${sub.id}`)).json().description, 'CRM', 'nothing changed');
    const gql = graphqlCaller<Json>(app, owner.auth);
    t.same((await gql('{ webhooks { id status types } }')).data, { webhooks: [{ id: sub.id, status: 'ACTIVE', types: ['person.*', 'interview.status_changed'] }] }, 'GraphQL lists it');
    t.equal((await gql('{ webhooks { id } }', {}, { authorization: `Bearer ${reader}` })).errors?.[0]?.extensions.code, 'FORBIDDEN');
    t.same((await gql('{ webhooks { id } }', {}, other.auth)).data, { webhooks: [] });
  });

  t.test('disabled by hand, then the end of the retry window disables it with the reason', async (t) => {
    const before = (await call('GET', `/v1/webhooks/${sub.id}`)).json();
    const same = await call('PATCH', `/v1/webhooks/${sub.id}`, { description: before.description, types: before.types });
    t.same(same.json(), before, 'a patch that changes nothing keeps the version');
    const described = await call('PATCH', `/v1/webhooks/${sub.id}`, { description: 'Advising CRM' });
    t.match(described.json(), { description: 'Advising CRM', version: before.version + 1, status: 'active' });
    const off = await call('PATCH', `/v1/webhooks/${sub.id}`, { status: 'disabled' });
    t.match(off.json(), { status: 'disabled', disabledReason: /disabled by API key/ });
    hook.received.length = 0;
    await call('POST', '/v1/people', { fullName: 'While off' });
    await sleep(200);
    t.equal(hook.received.length, 0, 'a disabled subscription sends nothing');
    t.equal((await call('PATCH', `/v1/webhooks/${sub.id}`, { status: 'active' })).json().disabledReason, null);
    await until('the queued event', () => hook.received.length >= 1);
    t.equal(JSON.parse(hook.received[0]!.body).data.data.fullName, 'While off', 'enabled again, it sends what waited');

    // Off longer than the feed keeps: what it missed is gone, and it says so.
    await call('PATCH', `/v1/webhooks/${sub.id}`, { status: 'disabled' });
    await call('POST', '/v1/people', { fullName: 'Pruned away' });
    t.ok((await pruneEvents(database.db, 0)) > 0, 'retention ran while it was off');
    hook.received.length = 0;
    await call('PATCH', `/v1/webhooks/${sub.id}`, { status: 'active' });
    const after = (await call('POST', '/v1/people', { fullName: 'After the gap' })).json();
    await until('the notice and the next event', () => hook.received.length >= 2);
    const [notice, next] = hook.received.map((r) => verifier.verify(r.body, r.headers as Record<string, string>) as Json);
    t.match(notice, { type: 'events.expired', data: { detail: /Resync/ } }, 'first: it missed events, resync');
    t.equal(next!.data.entityId, after.id, 'then the feed, from what it still holds');
  });
  await t.test('subscription deleted', async (t) => {
    t.equal((await call('DELETE', `/v1/webhooks/${sub.id}`)).statusCode, 204);
    t.equal((await call('GET', `/v1/webhooks/${sub.id}/deliveries`)).statusCode, 404);
  });
});

t.test('a claim that outlived its lease stops: the newer claim sends, each later event once', async (t) => {
  const { app, database } = await buildTestApp(t, FAST);
  const owner = await tenantWithKey(database, 'Slow Center', { questionBank: false });
  const call = restCaller(app, owner.auth);
  // Every answer takes a while; the first one longer than the newer claim needs to reach the middle of the queue.
  const hook = await receiver(t, (n) => ({ status: 200, afterMs: n === 1 ? 1500 : 300 }));
  await call('POST', '/v1/webhooks', { url: hook.url, types: ['person.created'] });
  const ids: string[] = [];
  for (let i = 0; i < 8; i++) ids.push((await call('POST', '/v1/people', { fullName: `Person ${i}` })).json().id);
  await until('the first attempt', () => hook.received.length >= 1);
  // The lease runs out while the first attempt waits (a stalled process): the same process claims again.
  await database.db.execute(sql`update webhooks set lease_until = now() - interval '1 second'`);
  await until('every event', () => hook.received.length >= 9);
  await sleep(800);
  const sent = hook.received.map((r) => JSON.parse(r.body).data.entityId as string);
  t.same(sent, [ids[0], ...ids], 'the first one again (its lease was lost), then each once, in order');
});

t.test('after the retry window, the subscription is disabled with the reason recorded', async (t) => {
  const { app, database } = await buildTestApp(t, { ...FAST, WEBHOOK_RETRY_FOR_MS: '1000' });
  const owner = await tenantWithKey(database, 'Failing Center', { questionBank: false });
  const call = restCaller(app, owner.auth);
  const hook = await receiver(t, () => 503);
  const sub = (await call('POST', '/v1/webhooks', { url: hook.url, types: ['person.created'] })).json();
  await call('POST', '/v1/people', { fullName: 'Never delivered' });
  const end = Date.now() + 15_000;
  let state: Json = {};
  while (Date.now() < end && (state = (await call('GET', `/v1/webhooks/${sub.id}`)).json()).status === 'active') await sleep(50);
  t.match(state, { status: 'disabled', disabledReason: /failed for .* attempts; last: answered 503/ });
  const [delivery] = (await call('GET', `/v1/webhooks/${sub.id}/deliveries`)).json().data;
  t.match(delivery, { status: 'failed', responseStatus: 503, nextAttemptAt: null });
  t.ok(delivery.attempts > 1, `${delivery.attempts} attempts`);
  t.equal(delivery.responseBody.length, 1024, 'at most 1 KB of the answer kept');
  t.match(delivery.responseBody, /^no:\uFFFDx+$/, 'its NUL made storable');
  t.equal(await pruneDeliveries(database.db, 0), 1, 'finished deliveries go with retention');
  t.same((await call('GET', `/v1/webhooks/${sub.id}/deliveries`)).json().data, []);
  t.equal(new Set(hook.received.map((r) => r.headers['webhook-id'])).size, 1);
});

t.test('a tenant has at most 50 webhooks, also when creates race', async (t) => {
  const { app, database } = await buildTestApp(t, { WEBHOOK_ALLOW_PRIVATE: 'true' });
  const owner = await tenantWithKey(database, 'Busy Center', { questionBank: false });
  const call = restCaller(app, owner.auth);
  const create = (i: number) => call('POST', '/v1/webhooks', { url: `https://127.0.0.1:9/hook/${i}`, types: ['person.*'] });
  for (let i = 0; i < 47; i++) t.equal((await create(i)).statusCode, 201);
  const raced = await Promise.all([47, 48, 49, 50, 51, 52].map(create));
  t.same(raced.map((r) => r.statusCode).sort(), [201, 201, 201, 409, 409, 409], 'six at once for the last three places: three taken, three refused');
  t.match(raced.find((r) => r.statusCode === 409)!.json(), { code: 'conflict', detail: /at most 50/ });
  t.equal((await call('GET', '/v1/webhooks')).json().data.length, 50);
});

t.test('private targets are refused unless WEBHOOK_ALLOW_PRIVATE', async (t) => {
  const { app, database } = await buildTestApp(t, { WEBHOOK_POLL_MS: '20' });
  const owner = await tenantWithKey(database, 'Strict Center', { questionBank: false });
  const call = restCaller(app, owner.auth);
  for (const url of ['http://example.org/hook', 'https://127.0.0.1/hook', 'https://localhost:8443/hook', 'https://[::1]/hook', 'https://169.254.169.254/latest/meta-data', 'https://10.0.0.8/x', 'https://[::ffff:127.0.0.1]/x', 'https://2130706433/x', 'https://0x7f.1/x', 'https://localhost./x', 'https://[fd00::1]/x']) {
    const res = await call('POST', '/v1/webhooks', { url, types: ['person.*'] });
    t.equal(res.statusCode, 400, url);
    t.same(res.json().errors.map((e: Json) => e.path), ['url'], `${url}: ${res.json().errors?.[0]?.message}`);
    if (url.includes('localhost')) t.notMatch(res.body, /127\.0\.0\.1|::1/, 'never where a name resolves');
  }
  t.same((await call('GET', '/v1/webhooks')).json().data, [], 'nothing saved');
});

t.test('two worker instances deliver each event once, in order; a worker killed mid-delivery is redelivered', { skip: !TEST_DATABASE_URL && 'needs a server: the embedded engine is one process' }, async (t) => {
  const { database, url: databaseUrl } = await freshDatabase(t);
  const first = await buildTestApp(t, FAST, database);
  const second = await buildTestApp(t, FAST, database);
  const owner = await tenantWithKey(database, 'Twin Center', { questionBank: false });
  const call = restCaller(first.app, owner.auth);
  const hook = await receiver(t, () => 200);
  await call('POST', '/v1/webhooks', { url: hook.url, types: ['organization.created'] });
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) ids.push((await restCaller(i % 2 ? second.app : first.app, owner.auth)('POST', '/v1/organizations', { name: `Org ${i}` })).json().id);
  await until('20 deliveries', () => hook.received.length >= 20);
  await sleep(300);
  t.equal(hook.received.length, 20, 'each once, with two workers polling');
  t.same(hook.received.map((r) => JSON.parse(r.body).data.entityId), ids, 'in order');

  // A worker alone (npm run worker), killed while the receiver holds its request.
  const slow = await receiver(t, (n) => (n === 1 ? 'hang' : 200));
  const stop = async (app: typeof first.app) => app.close();
  await stop(first.app);
  await stop(second.app);
  const lone = await buildTestApp(t, { ...FAST, WEBHOOK_WORKER: 'false' }, database);
  const restLone = restCaller(lone.app, owner.auth);
  await restLone('POST', '/v1/webhooks', { url: slow.url, types: ['person.created'] });
  const worker = spawn(process.execPath, ['--import=tsx', 'src/worker.ts'], { env: childEnv({ DATABASE_URL: databaseUrl, ...FAST, WEBHOOK_TIMEOUT_MS: '1000', LOG_LEVEL: 'warn' }), stdio: 'ignore' });
  t.teardown(() => void worker.kill('SIGKILL'));
  const person = (await restLone('POST', '/v1/people', { fullName: 'Mid-delivery' })).json();
  await until('the first attempt', () => slow.received.length >= 1, 30_000);
  worker.kill('SIGKILL');
  const again = await buildTestApp(t, { ...FAST, WEBHOOK_TIMEOUT_MS: '1000' }, database);
  await again.app.ready();
  t.ok(again.app.webhookWorker, 'another instance, with its worker');
  await until('the redelivery, after the lease ran out', () => slow.received.length >= 2, 20_000);
  t.equal(slow.received[1]!.headers['webhook-id'], slow.received[0]!.headers['webhook-id'], 'the same webhook-id');
  t.equal(JSON.parse(slow.received[1]!.body).data.entityId, person.id);
});
