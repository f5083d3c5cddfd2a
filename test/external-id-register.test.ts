import t from 'tap';
import { ExternalIdRegister, hashOf } from '../src/modules/imports/external-id-register.js';

// The register of external IDs an import has read: exact (a shared hash is told apart by the
// characters), across its chunks of a thousand.

t.test('the first row of each ID; a later one is told', async (t) => {
  const register = new ExternalIdRegister();
  let fresh = 0;
  for (let row = 1; row <= 2_500; row++) if (register.firstRowOf(`stu-${row}`, row) === undefined) fresh++;
  t.equal(fresh, 2_500, 'each new');
  t.equal(register.size, 2_500);
  t.equal(register.firstRowOf('stu-1', 3_000), 1, 'in the first chunk (joined)');
  t.equal(register.firstRowOf('stu-1999', 3_001), 1_999, 'in the second');
  t.equal(register.firstRowOf('stu-2500', 3_002), 2_500, 'in the open one');
  t.equal(register.size, 2_500, 'a duplicate is not recorded');
  t.equal(register.firstRowOf('STU-1', 3_003), undefined, 'IDs are compared exactly (case)');
  t.equal(register.firstRowOf('', 3_004), undefined);
  t.equal(register.firstRowOf('', 3_005), 3_004, 'even the empty one');
  t.equal(register.firstRowOf('naïve 🎓', 3_006), undefined);
  t.equal(register.firstRowOf('naïve 🎓', 3_007), 3_006);
});

t.test('two IDs with one hash are two IDs', async (t) => {
  const byHash = new Map<number, string>();
  let pair: [string, string] | undefined;
  for (let i = 0; !pair && i < 2_000_000; i++) {
    const id = `id-${i}`;
    const hash = hashOf(id);
    const other = byHash.get(hash);
    if (other !== undefined) pair = [other, id];
    else byHash.set(hash, id);
  }
  t.ok(pair, 'a pair sharing a hash exists among two million IDs');
  const [a, b] = pair!;
  t.equal(hashOf(a), hashOf(b));
  const register = new ExternalIdRegister();
  t.equal(register.firstRowOf(a, 1), undefined);
  t.equal(register.firstRowOf(b, 2), undefined, 'not a duplicate of the other');
  t.equal(register.firstRowOf(b, 3), 2);
  t.equal(register.firstRowOf(a, 4), 1);
  t.equal(register.firstRowOf(`${a}x`, 5), undefined);
});
