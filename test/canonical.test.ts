import t from 'tap';
import { canonical } from '../src/modules/shared/merge-patch.js';

// canonical() writes JSON with sorted keys by hand; it must give exactly what JSON.stringify
// with a key-sorting replacer gives (idempotency fingerprints stored for 24 hours depend on it).
const reference = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );

t.test('canonical is JSON.stringify with sorted keys', async (t) => {
  const values: unknown[] = [
    null,
    0,
    -0,
    1.5e21,
    -3.25,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    true,
    false,
    '',
    'quote " backslash \\ newline \n tab \t nul \u0000 emoji 🎓 lone \ud800',
    [],
    {},
    [1, 'a', null, undefined, () => 1, [2, [3]]],
    { b: 1, a: 2, 'ä': 3, A: 4, '10': 5, '9': 6, '01': 7, '4294967295': 8, '4294967294': 9, skipped: undefined, fn: () => 1 },
    { when: new Date('2026-12-03T01:02:03.456Z'), nested: { z: [{ y: 1, x: 2 }], a: { c: null, b: 'text' } } },
    { toJSON: () => ({ b: 1, a: 2 }) },
    { questions: [{ question: 'What is a day like?', answer: null, order: 1 }], tags: ['b', 'a'] },
  ];
  for (const value of values) t.equal(canonical(value), reference(value), JSON.stringify(reference(value))?.slice(0, 60));
  t.equal(canonical({ a: 1, b: 2 }), canonical({ b: 2, a: 1 }), 'key order does not matter');
  t.not(canonical([1, 2]), canonical([2, 1]), 'array order does');
});
