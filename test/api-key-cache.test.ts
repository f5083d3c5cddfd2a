import t from 'tap';
import { eq, sql } from 'drizzle-orm';
import { setTimeout as sleep } from 'node:timers/promises';
import { apiKeys } from '../src/db/schema/index.js';
import { buildTestApp, tenantWithKey } from './helpers/app.js';

// A key authenticated in the last API_KEY_CACHE_MS is not looked up again. What that costs,
// as documented: a key revoked elsewhere (another instance, the CLI) keeps working on this
// instance for at most that long; revoked through this instance, it stops at once.

const prefixOf = (key: string) => key.slice(0, 16);

t.test('the key cache, and what it delays', async (t) => {
  const { app, database } = await buildTestApp(t, { API_KEY_CACHE_MS: '1500' });
  const owner = await tenantWithKey(database);
  const get = (key: string) => app.inject({ url: '/v1/tenant', headers: { authorization: `Bearer ${key}` } });
  const revokeElsewhere = (key: string) => database.db.update(apiKeys).set({ revokedAt: sql`now()` }).where(eq(apiKeys.prefix, prefixOf(key)));

  t.test('revoked elsewhere: refused once the cached entry is older than API_KEY_CACHE_MS', async (t) => {
    const key = await owner.mintKey(['read']);
    t.equal((await get(key)).statusCode, 200);
    await revokeElsewhere(key);
    t.equal((await get(key)).statusCode, 200, 'still served from the cache: the documented delay');
    await sleep(1600);
    t.equal((await get(key)).statusCode, 401, 'refused after it');
  });

  t.test('revoked through this instance: refused at once', async (t) => {
    const key = await owner.mintKey(['read']);
    const keyId = (await database.db.select().from(apiKeys).where(eq(apiKeys.prefix, prefixOf(key))))[0]!.id;
    t.equal((await get(key)).statusCode, 200);
    const revoked = await app.inject({ method: 'DELETE', url: `/v1/api-keys/${keyId}`, headers: owner.auth });
    t.equal(revoked.statusCode, 204);
    t.equal((await get(key)).statusCode, 401);
  });

  t.test('an expiring key is never served past its expiry', async (t) => {
    const key = await owner.mintKey(['read'], new Date(Date.now() + 700));
    t.equal((await get(key)).statusCode, 200);
    await sleep(800);
    t.equal((await get(key)).statusCode, 401);
  });

  t.test('a wrong secret with a known prefix is never served from the cache', async (t) => {
    const key = await owner.mintKey(['read']);
    t.equal((await get(key)).statusCode, 200);
    t.equal((await get(`${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`)).statusCode, 401);
  });
});

t.test('API_KEY_CACHE_MS=0: every request looks its key up', async (t) => {
  const { app, database } = await buildTestApp(t, { API_KEY_CACHE_MS: '0' });
  const owner = await tenantWithKey(database);
  const key = await owner.mintKey(['read']);
  const get = () => app.inject({ url: '/v1/tenant', headers: { authorization: `Bearer ${key}` } });
  t.equal((await get()).statusCode, 200);
  await database.db.update(apiKeys).set({ revokedAt: sql`now()` }).where(eq(apiKeys.prefix, prefixOf(key)));
  t.equal((await get()).statusCode, 401, 'refused at once');
});
