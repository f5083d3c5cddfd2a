import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer } from './helpers/server-process.js';

const hasTool = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

// The README's first REST session, run as written against a freshly started service.
t.test('the README REST session works as written', { skip: !(hasTool('curl') && hasTool('jq')) && 'needs curl and jq' }, async (t) => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const block = /<!-- rest-session:start -->\n```sh\n([\s\S]*?)```\n<!-- rest-session:end -->/.exec(readme)?.[1];
  t.ok(block, 'the README has the session');
  const dataDir = mkdtempSync(join(tmpdir(), 'icrm-readme-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const server = await startServer({ DATA_DIR: dataDir, DATABASE_URL: '' }, t);
  await sleep(100);
  const key = /^ {2}(iik_\S+)$/m.exec(server.stdout())?.[1];
  const run = spawnSync('bash', ['-euo', 'pipefail', '-c', block!], {
    env: { ...process.env, KEY: key, BASE: server.url },
    encoding: 'utf8',
    timeout: 60_000,
  });
  t.equal(run.status, 0, run.stderr);
  const lines = run.stdout.trim().split('\n');
  t.same(JSON.parse(lines[0]!), { status: 'scheduled', version: 2 });
  t.match(JSON.parse(lines[1]!), { status: 'completed', occurredAt: String, insights: [{ category: 'skill' }] });
  server.child.kill('SIGTERM');
  t.equal(await server.exited, 0);
});
