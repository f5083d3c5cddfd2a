// `npm run worker`: the webhook delivery worker alone, no HTTP. Run as many as you like beside
// servers started with WEBHOOK_WORKER=false (or not: instances share the work safely).
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';

async function main(): Promise<void> {
  let config;
  try {
    config = { ...loadConfig(), WEBHOOK_WORKER: true };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  const app = await buildApp(config);
  await app.ready();
  app.log.info({ instance: app.webhookWorker?.instance }, 'webhook worker running');
  const close = async () => {
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void close());
  process.once('SIGINT', () => void close());
}

void main();
