import t from 'tap';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { Config } from '../src/config.js';

// No Docker engine runs here (`.ci/run` validates the file with `docker compose config` where
// one does): the deployment it describes is checked as data.

interface Service {
  environment?: Record<string, string>;
  configs?: { source: string; target: string }[];
  command?: string[];
}
const compose = parse(readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  configs: Record<string, { content: string }>;
};

t.test('the service runs as a role that owns nothing; migrations as the owner', async (t) => {
  const { app, migrate, db } = compose.services as Record<string, Service>;
  t.match(app!.environment!.DATABASE_URL, /^postgres:\/\/interviews_app:/);
  t.equal(app!.environment!.DATABASE_OWNER_URL, undefined, 'the service is never given the owner');
  t.match(migrate!.environment!.DATABASE_OWNER_URL, /^postgres:\/\/interviews_owner:/);
  t.same(migrate!.command, ['node', 'dist/db/migrate.cli.js']);
  const init = compose.configs[db!.configs![0]!.source]!.content;
  t.match(init, /CREATE ROLE interviews_owner LOGIN NOSUPERUSER CREATEROLE/);
  t.match(init, /CREATE ROLE interviews_app LOGIN NOSUPERUSER NOCREATEROLE/);
  t.match(init, /GRANT icrm_app TO interviews_app/);
  t.match(init, /CREATE DATABASE interviews OWNER interviews_owner/);
  t.match(db!.configs![0]!.target, /^\/docker-entrypoint-initdb\.d\//);
});

t.test('every variable given to the app is one it reads', async (t) => {
  const known = new Set(Object.keys(Config.shape));
  for (const [name, service] of Object.entries(compose.services)) {
    if (name === 'db') continue;
    for (const variable of Object.keys(service.environment ?? {})) t.ok(known.has(variable), `${name}: ${variable}`);
  }
});
