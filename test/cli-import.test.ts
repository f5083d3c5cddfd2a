import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../src/cli/cli.js';
import { buildTestApp, restCaller, tenantWithKey } from './helpers/app.js';
import { childEnv } from './helpers/child-env.js';
import { freshDatabase } from './helpers/database.js';

// `cli import`: a local file streamed to a running server over HTTP, its counts and first
// errors printed, and the exit code a script branches on (0 all landed, 1 rows failed, 2 usage,
// transport or request error).

t.test('cli import against a running server', async (t) => {
  const { database } = await freshDatabase(t);
  const { app } = await buildTestApp(t, {}, database);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const owner = await tenantWithKey(database);
  const rest = restCaller(app, owner.auth);
  const dir = mkdtempSync(join(tmpdir(), 'icrm-cli-import-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const cli = async (argv: string[], extra: { env?: NodeJS.ProcessEnv; progress?: NodeJS.WritableStream; pollMs?: number } = {}) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, { env: extra.env ?? {}, progress: extra.progress, pollMs: extra.pollMs, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
    return { code, stdout, stderr };
  };
  const orgsCsv = file('orgs.csv', 'externalId,name,size\nacme,Acme Robotics,201-1000\nbeta,Beta Labs,enormous\ngamma,Gamma Inc,\n');
  const peopleNdjson = file(
    'people.ndjson',
    [
      { externalId: 's-1', fullName: 'Ana Student', organizationExternalId: 'acme' },
      { externalId: 's-2', fullName: 'Ben Student' },
    ]
      .map((row) => JSON.stringify(row))
      .join('\n') + '\n',
  );

  t.test('a CSV with a bad row: exit 1, the counts and the row error printed', async (t) => {
    const res = await cli(['import', 'organizations', orgsCsv, '--url', url, '--key', owner.key]);
    t.equal(res.code, 1, res.stderr);
    t.equal(res.stderr, '');
    t.match(res.stdout, /^organizations import [0-9a-f-]{36}: partially_succeeded in \d+\.\d s\n/);
    t.match(res.stdout, /received 3, created 2, updated 0, unchanged 0, failed 1/);
    t.match(res.stdout, /row 2 \[beta\] size: must be one of 1-10, 11-50, 51-200, 201-1000, 1001-5000, 5001\+\n/);
    t.match(res.stdout, /GET \/v1\/imports\/[0-9a-f-]{36}\/errors/);
    t.equal((await rest('GET', '/v1/organizations?externalId=acme')).json().data.length, 1, 'the good rows landed');
  });

  t.test('NDJSON naming organizations by external ID: exit 0; --json prints the job, the second run is unchanged', async (t) => {
    const first = await cli(['import', 'people', peopleNdjson, '--url', `${url}/`, '--key', owner.key, '--json']);
    t.equal(first.code, 0, first.stderr);
    t.equal(first.stdout.trim().split('\n').length, 1, 'one line of JSON');
    t.match(JSON.parse(first.stdout), { status: 'succeeded', format: 'ndjson', counts: { received: 2, created: 2, failed: 0 }, errors: [] });
    // The key from the environment instead of the command line (where `ps` would show it).
    const again = await cli(['import', 'people', peopleNdjson, '--url', url, '--json'], { env: { IMPORT_API_KEY: owner.key } });
    t.equal(again.code, 0, again.stderr);
    t.match(JSON.parse(again.stdout).counts, { received: 2, created: 0, unchanged: 2 });
  });

  t.test('--dry-run, --mode, --on-error and --format reach the server', async (t) => {
    const json = file('orgs.data', JSON.stringify([{ externalId: 'delta', name: 'Delta' }, { externalId: 'acme', name: 'Acme Again' }]));
    const res = await cli(['import', 'organizations', json, '--format', 'json', '--mode', 'create', '--on-error', 'abort', '--dry-run', '--url', url, '--key', owner.key, '--json']);
    t.equal(res.code, 1);
    const job = JSON.parse(res.stdout);
    t.match(job, { mode: 'create', dryRun: true, onError: 'abort', format: 'json', status: 'failed', counts: { received: 2, failed: 1 } });
    t.match(job.errors, [{ row: 2, externalId: 'acme', path: 'externalId', message: /already exists/ }]);
    t.equal((await rest('GET', '/v1/organizations?externalId=delta')).json().data.length, 0, 'a dry run writes nothing');
  });

  t.test('a progress bar on a terminal: bytes, rows and rows/s', async (t) => {
    const terminal = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
    let drawn = '';
    terminal.on('data', (chunk: Buffer) => (drawn += chunk));
    const res = await cli(['import', 'people', peopleNdjson, '--url', url, '--key', owner.key], { progress: terminal });
    t.equal(res.code, 0, res.stderr);
    t.match(drawn, /people \[[█░]+\] 100% \| 0\.0\/0\.0 MB \| 2 rows \| [\d,]+ rows\/s/);
    t.notMatch(res.stdout, /\[/, 'the bar stays off stdout');
  });

  t.test('while it runs, the bar shows the rows the server has taken so far', async (t) => {
    const rows = Array.from({ length: 10_000 }, (_, i) => JSON.stringify({ externalId: `bar-${i}`, fullName: `Bar Person ${i}` }));
    const big = file('many.ndjson', rows.join('\n') + '\n');
    const terminal = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
    let drawn = '';
    terminal.on('data', (chunk: Buffer) => (drawn += chunk));
    const res = await cli(['import', 'people', big, '--url', url, '--key', owner.key], { progress: terminal, pollMs: 10 });
    t.equal(res.code, 0, res.stderr);
    const counts = [...drawn.matchAll(/\| ([\d,]+) rows \|/g)].map((m) => Number(m[1]!.replaceAll(',', '')));
    t.ok(
      counts.some((n) => n > 0 && n < 10_000 && n % 500 === 0),
      `a frame mid-import shows whole batches taken (${[...new Set(counts)].join(' ')})`,
    );
    t.equal(counts.at(-1), 10_000, 'the last frame, every row');
  });

  const usage: [string, string[], RegExp][] = [
    ['no file', ['import', 'people'], /an entity and a file/],
    ['an unknown entity', ['import', 'pets', peopleNdjson, '--url', url, '--key', 'k'], /the entity must be one of people, organizations/],
    ['a file that is not there', ['import', 'people', join(dir, 'missing.csv'), '--url', url, '--key', 'k'], /cannot read the file/],
    ['a directory', ['import', 'people', dir, '--url', url, '--key', 'k'], /cannot read the file/],
    ['a format it cannot tell', ['import', 'people', file('rows.txt', 'x'), '--url', url, '--key', 'k'], /cannot tell the format from "\.txt"/],
    ['an unknown format', ['import', 'people', peopleNdjson, '--format', 'xml', '--url', url, '--key', 'k'], /--format must be one of ndjson, csv, json/],
    ['a bad mode', ['import', 'people', peopleNdjson, '--mode', 'merge', '--url', url, '--key', 'k'], /--mode must be one of upsert, create/],
    ['a bad on-error', ['import', 'people', peopleNdjson, '--on-error', 'ignore', '--url', url, '--key', 'k'], /--on-error must be one of skip, abort/],
    ['no URL', ['import', 'people', peopleNdjson, '--key', 'k'], /--url is required/],
    ['a URL that is not one', ['import', 'people', peopleNdjson, '--url', 'not a url', '--key', 'k'], /--url must be an http\(s\) URL/],
    ['a URL of another scheme', ['import', 'people', peopleNdjson, '--url', 'ftp://127.0.0.1', '--key', 'k'], /--url must be an http\(s\) URL/],
    ['no key', ['import', 'people', peopleNdjson, '--url', url], /--key is required/],
    ['an unknown flag', ['import', 'people', peopleNdjson, '--colour', 'red'], /Unknown option '--colour'/],
    ['two files', ['import', 'people', peopleNdjson, orgsCsv, '--url', url, '--key', 'k'], /got also: /],
  ];
  for (const [name, argv, message] of usage) {
    t.test(`usage error (exit 2): ${name}`, async (t) => {
      const res = await cli(argv);
      t.equal(res.code, 2);
      t.match(res.stderr, message);
      t.match(res.stderr, /Usage:\n {2}cli import <entity> <file>/);
      t.equal(res.stdout, '');
    });
  }

  t.test('the server refuses the request (exit 2): a bad key, a key without the import scope, a body it cannot read', async (t) => {
    const bad = await cli(['import', 'people', peopleNdjson, '--url', url, '--key', 'iik_not_a_key']);
    t.equal(bad.code, 2);
    t.match(bad.stderr, /^error: the server answered 401: /);
    const reader = await owner.mintKey(['read']);
    const forbidden = await cli(['import', 'people', peopleNdjson, '--url', url, '--key', reader]);
    t.equal(forbidden.code, 2);
    t.match(forbidden.stderr, /answered 403: .*import/);
    const header = await cli(['import', 'people', file('bad.csv', 'fullName,fullName\nA,B\n'), '--url', url, '--key', owner.key]);
    t.equal(header.code, 2);
    t.match(header.stderr, /answered 400: The CSV header cannot be read/);
    t.equal(bad.stdout + forbidden.stdout + header.stdout, '');
  });

  t.test('a server that is not there (exit 2)', async (t) => {
    const res = await cli(['import', 'people', peopleNdjson, '--url', 'http://127.0.0.1:9', '--key', owner.key]);
    t.equal(res.code, 2);
    t.match(res.stderr, /^error: the import did not reach http:\/\/127\.0\.0\.1:9: .*ECONNREFUSED/);
  });

  t.test('npm run --silent cli -- import: the exit code and only the JSON on stdout', async (t) => {
    // Spawned, not spawnSync: the server answering it runs in this process.
    const child = spawn('npm', ['run', '--silent', 'cli', '--', 'import', 'organizations', orgsCsv, '--url', url, '--json'], { env: childEnv({ IMPORT_API_KEY: owner.key }) });
    const res = { stdout: '', stderr: '', status: null as number | null };
    child.stdout.on('data', (chunk: Buffer) => (res.stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (res.stderr += chunk));
    res.status = await new Promise<number | null>((resolve) => child.once('close', resolve));
    t.equal(res.status, 1, res.stderr);
    t.match(JSON.parse(res.stdout), { status: 'partially_succeeded', counts: { received: 3, unchanged: 2, failed: 1 } });
  });
});
