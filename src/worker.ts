// `npm run worker`: the webhook delivery worker alone, no HTTP. Run as many as you like beside
// servers started with WEBHOOK_WORKER=false (or not: instances share the work safely).
import { buildApp } from './app.js';
import { closeOnSignals, readConfig, run } from './lifecycle.js';

run(async () => {
  const config = { ...readConfig(), WEBHOOK_WORKER: true };
  const app = await buildApp(config);
  await app.ready();
  closeOnSignals(app, config);
  app.log.info({ instance: app.webhookWorker?.instance }, 'webhook worker running');
});
