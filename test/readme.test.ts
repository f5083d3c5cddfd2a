import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer } from './helpers/server-process.js';

const hasTool = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

// The README's first REST session, then its first GraphQL session on what the REST one made,
// run as written against a freshly started service.
t.test('the README REST and GraphQL sessions work as written', { skip: !(hasTool('curl') && hasTool('jq')) && 'needs curl and jq' }, async (t) => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const block = /<!-- rest-session:start -->\n```sh\n([\s\S]*?)```\n<!-- rest-session:end -->/.exec(readme)?.[1];
  t.ok(block, 'the README has the session');
  const dataDir = mkdtempSync(join(tmpdir(), 'icrm-readme-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const server = await startServer({ DATA_DIR: dataDir, DATABASE_URL: '' }, t);
  await sleep(100);
  const key = /^ {2}(iik_\S+)$/m.exec(server.stdout())?.[1];
  const session = (script: string) =>
    spawnSync('bash', ['-euo', 'pipefail', '-c', script], { env: { ...process.env, KEY: key, BASE: server.url }, encoding: 'utf8', timeout: 60_000 });
  const run = session(block!);
  t.equal(run.status, 0, run.stderr);
  const lines = run.stdout.trim().split('\n');
  t.same(JSON.parse(lines[0]!), { status: 'scheduled', version: 2 });
  t.match(JSON.parse(lines[1]!), { status: 'completed', occurredAt: String, insights: [{ category: 'skill' }] });

  const graphqlBlock = /<!-- graphql-session:start -->\n```sh\n([\s\S]*?)```\n<!-- graphql-session:end -->/.exec(readme)?.[1];
  t.ok(graphqlBlock, 'the README has the GraphQL session');
  const graphql = session(graphqlBlock!);
  t.equal(graphql.status, 0, graphql.stderr);
  const [interviews, strategy, error] = graphql.stdout.trim().split('\n').map((line) => JSON.parse(line));
  t.match(interviews, {
    totalCount: 1,
    nodes: [{ id: String, status: 'COMPLETED', interviewee: { fullName: 'Lena Ortiz', title: 'Genetic Counselor' }, insights: [{ category: 'SKILL' }] }],
  });
  t.same(strategy, {
    createCareerStrategy: { careerStrategy: { status: 'ACTIVE', targetRoles: ['Genetic Counselor'], informedBy: [{ goals: 'What does a genetic counselor do all day?' }] } },
  });
  t.same(error, { code: 'CONFLICT', allowed: [] });

  const opportunityBlock = /<!-- opportunity-session:start -->\n```sh\n([\s\S]*?)```\n<!-- opportunity-session:end -->/.exec(readme)?.[1];
  t.ok(opportunityBlock, 'the README has the opportunity session');
  const opportunity = session(opportunityBlock!);
  t.equal(opportunity.status, 0, opportunity.stderr);
  t.same(
    opportunity.stdout.trim().split('\n').map((line) => JSON.parse(line)),
    [
      { status: 'applied', stamped: true },
      { code: 'invalid_transition', allowed: ['interviewing', 'offered', 'rejected', 'withdrawn', 'closed'] },
    ],
  );

  const feedBlock = /<!-- feed-session:start -->\n```sh\n([\s\S]*?)```\n<!-- feed-session:end -->/.exec(readme)?.[1];
  t.ok(feedBlock, 'the README has the change-feed session');
  const feed = session(feedBlock!);
  t.equal(feed.status, 0, feed.stderr);
  t.same(feed.stdout.trim().split('\n').map((line) => JSON.parse(line)), [{ type: 'person.updated', changedFields: ['title'], title: 'Lab assistant' }]);
  server.child.kill('SIGTERM');
  t.equal(await server.exited, 0);
});
