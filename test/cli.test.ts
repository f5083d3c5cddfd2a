import t from 'tap';
import { childEnv } from './helpers/child-env.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli/cli.js';
import { buildTestApp } from './helpers/app.js';
import { freshDatabase } from './helpers/database.js';

t.test('the CLI against this run’s database', async (t) => {
  const { database } = await freshDatabase(t);
  const { app } = await buildTestApp(t, {}, database);
  const cli = async (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, { env: {}, database, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
    return { code, stdout, stderr };
  };
  const tenantOf = async (key: string) => app.inject({ url: '/v1/tenant', headers: { authorization: `Bearer ${key}` } });

  const created = await cli('tenants', 'create', '--name', 'Career Center', '--json');
  t.equal(created.code, 0);
  t.equal(created.stderr, '');
  t.equal(created.stdout.trim().split('\n').length, 1, 'exactly one line of JSON');
  const out = JSON.parse(created.stdout);
  t.same(Object.keys(out), ['tenant', 'apiKey']);
  t.same(Object.keys(out.tenant), ['id', 'name', 'slug']);
  t.same(Object.keys(out.apiKey), ['id', 'secret', 'scopes']);
  t.match(out, { tenant: { name: 'Career Center', slug: 'career-center' }, apiKey: { scopes: ['read', 'write', 'import', 'admin'] } });
  t.equal((await tenantOf(out.apiKey.secret)).json().id, out.tenant.id, 'the printed key works');

  t.test('a second tenant of the same name gets its own slug', async (t) => {
    const again = JSON.parse((await cli('tenants', 'create', '--name', 'Career Center', '--json')).stdout);
    t.match(again.tenant.slug, /^career-center-[0-9a-f]{6}$/);
  });

  t.test('keys create, then revoke', async (t) => {
    const res = await cli('keys', 'create', '--tenant', out.tenant.id, '--scopes', 'read,write', '--json');
    t.equal(res.code, 0);
    const key = JSON.parse(res.stdout);
    t.same(Object.keys(key), ['apiKey']);
    t.same(key.apiKey.scopes, ['read', 'write']);
    t.equal((await tenantOf(key.apiKey.secret)).statusCode, 200);
    const revoked = await cli('keys', 'revoke', key.apiKey.id, '--json');
    t.equal(revoked.code, 0);
    t.same(JSON.parse(revoked.stdout), { apiKey: { id: key.apiKey.id, revoked: true } });
    t.equal((await tenantOf(key.apiKey.secret)).statusCode, 401);
  });

  t.test('a key that expires', async (t) => {
    const future = await cli('keys', 'create', '--tenant', out.tenant.id, '--scopes', 'read', '--expires-at', '2999-01-01', '--json');
    t.equal((await tenantOf(JSON.parse(future.stdout).apiKey.secret)).statusCode, 200);
  });

  t.test('the question bank: there by default, left out with --no-question-bank', async (t) => {
    const bank = async (key: string) => (await app.inject({ url: '/v1/question-templates?limit=100', headers: { authorization: `Bearer ${key}` } })).json().data.length;
    t.ok((await bank(out.apiKey.secret)) >= 30, 'a new tenant has the default bank');
    const bare = await cli('tenants', 'create', '--name', 'Bare Center', '--no-question-bank', '--json');
    t.equal(bare.code, 0);
    t.equal(await bank(JSON.parse(bare.stdout).apiKey.secret), 0);
  });

  t.test('human-readable output without --json', async (t) => {
    const res = await cli('tenants', 'create', '--name', 'Plain');
    t.match(res.stdout, /^tenant [0-9a-f-]{36} \(plain\)\napi key \(shown once\): iik_/);
  });

  const usage: [string, string[], RegExp][] = [
    ['no command', [], /no command given/],
    ['an unknown command', ['tenants', 'delete'], /unknown command: tenants delete/],
    ['an unknown flag', ['tenants', 'create', '--name', 'x', '--colour', 'red'], /Unknown option '--colour'/],
    ['a missing name', ['tenants', 'create', '--json'], /--name is required/],
    ['a tenant id that is not a UUID', ['keys', 'create', '--tenant', '42'], /--tenant must be a tenant id/],
    ['a bad date', ['keys', 'create', '--tenant', out.tenant.id, '--expires-at', 'tomorrow'], /--expires-at must be an ISO 8601 date/],
    ['an expiry in the past (REST refuses it too)', ['keys', 'create', '--tenant', out.tenant.id, '--expires-at', '2020-01-01T00:00:00Z'], /--expires-at must be in the future/],
    ['an expiry past the year 9999', ['keys', 'create', '--tenant', out.tenant.id, '--expires-at', '9999-12-31T23:59:59-05:00'], /--expires-at must be an ISO 8601 date/],
    ['revoke without an id', ['keys', 'revoke'], /exactly one key id/],
    ['--no-question-bank elsewhere', ['keys', 'create', '--tenant', out.tenant.id, '--no-question-bank'], /--no-question-bank is an option of tenants create only/],
    ['--no-question-bank with a value', ['tenants', 'create', '--name', 'x', '--no-question-bank=yes'], /--no-question-bank/],
    ['revoke with a bad id', ['keys', 'revoke', 'abc'], /must be a UUID/],
  ];
  for (const [name, argv, message] of usage) {
    t.test(`usage error: ${name}`, async (t) => {
      const res = await cli(...argv);
      t.equal(res.code, 2);
      t.match(res.stderr, message);
      t.match(res.stderr, /Usage:/);
      t.equal(res.stdout, '');
    });
  }

  const failures: [string, string[], RegExp][] = [
    ['unknown scopes', ['keys', 'create', '--tenant', out.tenant.id, '--scopes', 'read,root'], /unknown scope: root/],
    ['a tenant that does not exist', ['keys', 'create', '--tenant', '00000000-0000-4000-8000-000000000000'], /No tenant/],
    ['revoking a key that does not exist', ['keys', 'revoke', '00000000-0000-4000-8000-000000000000'], /No API key/],
    ['a name too long', ['tenants', 'create', '--name', 'x'.repeat(201)], /1 to 200 characters/],
  ];
  for (const [name, argv, message] of failures) {
    t.test(`failure: ${name}`, async (t) => {
      const res = await cli(...argv);
      t.equal(res.code, 1);
      t.match(res.stderr, message);
      t.equal(res.stdout, '');
    });
  }

  t.test('--help', async (t) => {
    const res = await cli('--help');
    t.equal(res.code, 0);
    t.match(res.stdout, /Usage:/);
  });
});

t.test('npm run --silent cli prints only the JSON, on the embedded engine', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'icrm-cli-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const run = (...args: string[]) =>
    spawnSync('npm', ['run', '--silent', 'cli', '--', ...args], {
      env: childEnv({ DATA_DIR: dataDir, DATABASE_URL: '' }),
      encoding: 'utf8',
      timeout: 90_000,
    });
  const res = run('tenants', 'create', '--name', 'Script Center', '--json');
  t.equal(res.status, 0, res.stderr);
  const out = JSON.parse(res.stdout);
  t.match(out, { tenant: { slug: 'script-center' }, apiKey: { secret: /^iik_/ } });
  const bad = run('keys', 'create', '--tenant', out.tenant.id, '--scopes', 'everything', '--json');
  t.equal(bad.status, 1);
  t.match(bad.stderr, /unknown scope: everything/);
  t.equal(bad.stdout, '');
  const badEnv = spawnSync('npm', ['run', '--silent', 'cli', '--', 'tenants', 'create', '--name', 'x'], {
    env: childEnv({ DATABASE_URL: 'http://not-postgres' }),
    encoding: 'utf8',
    timeout: 60_000,
  });
  t.equal(badEnv.status, 1);
  t.match(badEnv.stderr, /DATABASE_URL: must be a postgres/);
});
