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
