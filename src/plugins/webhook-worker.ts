import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { createWebhookWorker } from '../modules/webhooks/webhook-worker.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The webhook delivery worker of this instance, when WEBHOOK_WORKER is on. */
    webhookWorker: ReturnType<typeof createWebhookWorker> | null;
  }
}

/**
 * Runs the webhook worker in this process (WEBHOOK_WORKER=true, the default), from ready to
 * close. Several instances may all run it (see webhook-worker.ts); `npm run worker` runs it alone.
 */
export default fp<{ config: Config }>(
  async (app, { config }) => {
    const worker = config.WEBHOOK_WORKER ? createWebhookWorker(app.database.db, app.services.events, config, app.log.child({ component: 'webhook-worker' })) : null;
    app.decorate('webhookWorker', worker);
    if (!worker) return;
    app.addHook('onReady', async () => worker.start());
    app.addHook('onClose', async () => worker.stop());
  },
  { name: 'webhook-worker', dependencies: ['database', 'services'] },
);
