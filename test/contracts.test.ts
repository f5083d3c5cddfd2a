import t from 'tap';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { renderContracts } from '../src/contracts.js';
import { buildTestApp } from './helpers/app.js';

t.test('openapi.yaml and schema.graphql match the code', async (t) => {
  const { app } = await buildTestApp(t);
  const rendered = await renderContracts(app);
  for (const [file, text] of Object.entries(rendered)) {
    t.equal(readFileSync(new URL(`../${file}`, import.meta.url), 'utf8'), text, `${file} is current (npm run contracts)`);
  }
  const served = await app.inject({ url: '/openapi.yaml' });
  t.same(parse(served.body), parse(rendered['openapi.yaml']), 'GET /openapi.yaml serves the same document');
  t.same((await app.inject({ url: '/openapi.json' })).json(), parse(rendered['openapi.yaml']));
  t.equal(`${(await app.inject({ url: '/schema.graphql' })).body}\n`, rendered['schema.graphql']);
});

t.test('the routes served under /v1 are exactly the operations of openapi.yaml', async (t) => {
  const { app } = await buildTestApp(t);
  await app.ready();
  const served = app.routeInventory
    .filter((r) => r.split(' ')[1]!.startsWith('/v1/') && !r.startsWith('HEAD '))
    .map((r) => r.replace(/:(\w+)/g, '{$1}'))
    .sort();
  const doc = parse(readFileSync(new URL('../openapi.yaml', import.meta.url), 'utf8')) as { paths: Record<string, Record<string, { operationId?: string; summary?: string; responses?: object }>> };
  const documented = Object.entries(doc.paths)
    .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
  t.same(served, documented);
  t.ok(served.length >= 10);
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      t.ok(op.operationId && op.summary, `${method} ${path} has an operationId and a summary`);
      t.ok(Object.keys(op.responses ?? {}).some((s) => s.startsWith('4')), `${method} ${path} documents its errors`);
    }
  }
});
