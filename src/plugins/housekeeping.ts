import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { sweepExpiredIdempotencyKeys } from '../modules/idempotency/idempotency.service.js';
import { pruneEvents } from '../modules/events/events.repository.js';
import { pruneDeliveries } from '../modules/webhooks/webhooks.repository.js';
import { failStaleJobsEverywhere } from '../modules/imports/imports.repository.js';
import { STALE_IMPORT_MS } from '../modules/imports/imports.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** One round of housekeeping now; it also runs every HOUSEKEEPING_INTERVAL_MS. */
    housekeeping(): Promise<{ idempotencyKeysDeleted: number; staleImportsFailed: number; eventsPruned: number; deliveriesPruned: number }>;
  }
}

/**
 * Deletes what has expired: idempotency answers older than 24 hours, whether or not their key
 * comes back; and fails the imports whose server died (heartbeat a minute old), in every tenant,
 * whether or not another import of theirs comes; and removes change-feed events and finished
 * webhook deliveries older than EVENT_RETENTION_DAYS. Several instances may sweep at once; each
 * delete is idempotent. A failure (the database away) is logged and the next round tries again.
 */
export default fp<{ config: Config }>(
  async (app, { config }) => {
    const retentionSeconds = config.EVENT_RETENTION_DAYS * 86_400;
    const run = async () => ({
      idempotencyKeysDeleted: await sweepExpiredIdempotencyKeys(app.database.db),
      staleImportsFailed: await failStaleJobsEverywhere(app.database.db, STALE_IMPORT_MS),
      eventsPruned: await pruneEvents(app.database.db, retentionSeconds),
      deliveriesPruned: await pruneDeliveries(app.database.db, retentionSeconds),
    });
    app.decorate('housekeeping', run);
    let timer: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      timer = setInterval(() => {
        run().then(
          (done) => Object.values(done).some((n) => n > 0) && app.log.info(done, 'housekeeping'),
          (err: unknown) => app.log.warn({ err }, 'housekeeping failed; retrying next round'),
        );
      }, config.HOUSEKEEPING_INTERVAL_MS);
      timer.unref();
    });
    app.addHook('onClose', async () => clearInterval(timer));
  },
  { name: 'housekeeping', dependencies: ['database'] },
);
