import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

// .ci/graphql-breaking, the CI step that keeps schema.graphql from breaking its clients, run on
// a repository of its own: a removed field fails it, unless the commit says BREAKING-GRAPHQL:;
// an added one passes.

const run = promisify(execFile);
const script = new URL('../.ci/graphql-breaking', import.meta.url).pathname;

t.test('a breaking change to schema.graphql fails CI unless a commit announces it', async (t) => {
  const repo = await mkdtemp(join(tmpdir(), 'graphql-breaking-'));
  t.teardown(() => rm(repo, { recursive: true, force: true }));
  const git = (...args: string[]) => run('git', ['-c', 'user.name=CI', '-c', 'user.email=ci@example.com', ...args], { cwd: repo });
  const check = () => run('bash', [script, repo]).then(
    () => 0,
    (err: { code: number }) => err.code,
  );
  const schema = await readFile(new URL('../schema.graphql', import.meta.url), 'utf8');
  const withoutHeadline = schema.replace(/\n {2}"""A line about them[^\n]*\n {2}headline: String/, '');
  t.not(withoutHeadline, schema, 'the test removes Person.headline');

  await git('init', '-q');
  await writeFile(join(repo, 'schema.graphql'), schema);
  await git('add', '.');
  await git('commit', '-qm', 'the schema');
  t.equal(await check(), 0, 'nothing to compare with: passes');

  await writeFile(join(repo, 'schema.graphql'), withoutHeadline);
  t.equal(await check(), 1, 'an uncommitted removal fails');
  await git('commit', '-qam', 'drop headline');
  t.equal(await check(), 1, 'a committed removal fails');
  await writeFile(join(repo, 'schema.graphql'), withoutHeadline.replace('type Person {', 'type Person {\n  "A new field."\n  nickname: String'));
  await git('commit', '-qam', 'add nickname');
  t.equal(await check(), 1, 'a harmless change after it does not hide the removal');
  await git('reset', '-q', '--hard', 'HEAD~2');
  await writeFile(join(repo, 'schema.graphql'), withoutHeadline);
  await git('commit', '-qam', 'drop headline\n\nBREAKING-GRAPHQL: headline moves to profiles');
  t.equal(await check(), 0, 'announced by the commit: passes');

  await writeFile(join(repo, 'schema.graphql'), schema);
  await git('commit', '-qam', 'headline back');
  t.equal(await check(), 0, 'an added field passes');
});
