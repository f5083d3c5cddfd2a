// PostGraphile 5 over the bench database, for bench:graphql's comparison (bench/graphql.bench.ts):
// its stock Amber preset, the `public` schema as it is, each request in a transaction under the
// service's restricted role with the bench tenant set, as PostGraphile does row-level security
// (`pgSettings`). Not part of the service: installed on demand into this folder.
import { createServer } from 'node:http';
import process from 'node:process';

// PostGraphile 5 declares Node 22. On Node 20 it lacks only Promise.withResolvers (ES2024).
Promise.withResolvers ??= function withResolvers() {
  let resolve;
  let reject;
  const promise = new this((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};
const { postgraphile } = await import('postgraphile');
const { PostGraphileAmberPreset } = await import('postgraphile/presets/amber');
const { makePgService } = await import('postgraphile/adaptors/pg');
const { grafserv } = await import('postgraphile/grafserv/node');

const pgl = postgraphile({
  extends: [PostGraphileAmberPreset],
  pgServices: [makePgService({ connectionString: process.env.DATABASE_URL, schemas: ['public'], poolConfig: { max: 10 } })],
  grafast: {
    explain: false,
    context: () => ({ pgSettings: { role: 'icrm_app', 'app.tenant_id': process.env.FLOOR_TENANT } }),
  },
  grafserv: { graphiql: false, watch: false },
});
const server = createServer();
pgl.createServ(grafserv).addTo(server);
server.listen(0, '127.0.0.1', () => process.stdout.write(`postgraphile listening at http://127.0.0.1:${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => void pgl.release().then(() => process.exit(0))));
