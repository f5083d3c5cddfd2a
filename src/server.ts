// Process entry: configuration, the app, listening, and a graceful close.
import { buildApp } from './app.js';
import { ConfigError, graphiqlEnabled, loadConfig, type Config } from './config.js';
import { seedDemoIfEmpty } from './seed/demo.js';

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const app = await buildApp(config);

  // Only a newcomer's embedded database gets sample data; a server database is the operator's.
  const demo = app.database.engine === 'embedded' && config.SEED_DEMO ? await seedDemoIfEmpty(app.database.db) : null;

  let closing = false;
  const close = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    const timer = setTimeout(() => {
      app.log.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    await app.close();
    app.log.info('closed');
    process.exit(0);
  };
  process.once('SIGTERM', () => void close('SIGTERM'));
  process.once('SIGINT', () => void close('SIGINT'));

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

main().catch((err: unknown) => {
  process.stderr.write(`failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
