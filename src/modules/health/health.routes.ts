import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { appliedMigrationCount, expectedMigrationCount } from '../../db/migrate.js';
import { isDatabaseUnavailable } from '../../errors.js';

const Health = z.object({ status: z.enum(['ok', 'unavailable']), reason: z.string().optional() });

const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  const expected = expectedMigrationCount();
  const hide = { hide: true } as const;

  app.get('/healthz', { schema: { ...hide, response: { 200: Health } } }, async () => ({ status: 'ok' as const }));

  // Migrations are never taken back: once all are seen, only "does the database answer" is left.
  let migrated = false;

  // Ready means able to serve: the database answers and has every migration this code expects.
  // It asks on a connection of its own, so an instance whose pool is busy is still ready.
  app.get('/readyz', { schema: { ...hide, response: { 200: Health, 503: Health } } }, async (_request, reply) => {
    try {
      const probe = app.database.probe;
      if (migrated) {
        await probe.execute(sql`select 1`);
        return { status: 'ok' as const };
      }
      const applied = await appliedMigrationCount(probe);
      if (applied < expected) {
        return reply.status(503).send({ status: 'unavailable', reason: `migrations applied: ${applied} of ${expected}` });
      }
      migrated = true;
      return { status: 'ok' as const };
    } catch (err) {
      if (!isDatabaseUnavailable(err)) app.log.error({ err }, 'readiness check failed');
      reply.header('retry-after', '5');
      return reply.status(503).send({ status: 'unavailable', reason: 'database unreachable' });
    }
  });
};
export default healthRoutes;
