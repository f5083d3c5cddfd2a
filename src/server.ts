// Process entry: configuration, the app, listening, and a graceful close.
import { buildApp } from './app.js';
import { graphiqlEnabled } from './config.js';
import { closeOnSignals, readConfig, run } from './lifecycle.js';
import { seedDemoIfEmpty } from './seed/demo.js';

async function main(): Promise<void> {
  const config = readConfig();
  const app = await buildApp(config);

  // Only a newcomer's embedded database gets sample data; a server database is the operator's.
  const demo = app.database.engine === 'embedded' && config.SEED_DEMO ? await seedDemoIfEmpty(app.database.db) : null;
  closeOnSignals(app, config);

  const address = await app.listen({ port: config.PORT, host: config.HOST });
  if (demo) process.stdout.write(demoBanner(address, demo.apiKey, graphiqlEnabled(config)));
}

function demoBanner(base: string, key: string, graphiql: boolean): string {
  const url = base.replace('://127.0.0.1', '://localhost');
  return [
    '',
    'Informational Interviews is running on the embedded database (no server needed).',
    'A demo tenant with sample data was created. Its API key, shown this once:',
    '',
    `  ${key}`,
    '',
    `  REST      ${url}/v1/tenant      (contract: ${url}/openapi.yaml)`,
    `  GraphQL   ${url}/graphql        (schema: ${url}/schema.graphql)`,
    graphiql ? `  GraphiQL  ${url}/graphiql` : '  GraphiQL  off (GRAPHIQL=true turns it on)',
    '',
    `  curl -H "Authorization: Bearer ${key}" ${url}/v1/tenant`,
    '',
    '',
  ].join('\n');
}

run(main);
