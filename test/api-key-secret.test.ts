import t from 'tap';
import { generateKey, hashSecret, parseKey, secretMatches } from '../src/modules/api-keys/api-key-secret.js';
import { parseScopes } from '../src/modules/api-keys/api-keys.service.js';

t.test('generated keys are recognisable, unique, and stored only as a hash', async (t) => {
  const a = generateKey();
  const b = generateKey();
  t.match(a.secret, /^iik_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
  t.ok(a.secret.startsWith(`${a.prefix}_`));
  t.not(a.secret, b.secret);
  t.not(a.prefix, b.prefix);
  t.equal(a.secretHash, hashSecret(a.secret));
  t.notMatch(a.secretHash, a.secret.slice(17));
  t.same(parseKey(a.secret), { prefix: a.prefix });
});

t.test('malformed keys are not parsed', async (t) => {
  for (const bad of ['', 'iik_', 'iik_0123456789ab', `sk_0123456789ab_${'a'.repeat(43)}`, `iik_0123456789AB_${'a'.repeat(43)}`, `iik_0123456789ab_${'a'.repeat(42)}`, `iik_0123456789ab_${'a'.repeat(43)} `]) {
    t.equal(parseKey(bad), null, JSON.stringify(bad));
  }
});

t.test('secrets compare by hash in constant time', async (t) => {
  const key = generateKey();
  t.ok(secretMatches(key.secret, key.secretHash));
  t.notOk(secretMatches(`${key.secret.slice(0, -1)}x`, key.secretHash));
  t.notOk(secretMatches(key.secret, 'abcd'), 'a malformed stored hash never matches');
});

t.test('scopes', async (t) => {
  t.same(parseScopes('write, read'), ['read', 'write'], 'canonical order, trimmed');
  t.same(parseScopes(['admin', 'admin']), ['admin'], 'each once');
  t.throws(() => parseScopes('read,owner'), { code: 'validation_failed', errors: [{ path: 'scopes', message: /owner/ }] });
  t.throws(() => parseScopes(' , '), { code: 'validation_failed' });
});
