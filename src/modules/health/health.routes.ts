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

  // Ready means able to serve: the database answers and has every migration this code expects.
  app.get('/readyz', { schema: { ...hide, response: { 200: Health, 503: Health } } }, async (_request, reply) => {
    try {
      await app.database.db.execute(sql`select 1`);
      const applied = await appliedMigrationCount(app.database.db);
      if (applied < expected) {
        return reply.status(503).send({ status: 'unavailable', reason: `migrations applied: ${applied} of ${expected}` });
      }
      return { status: 'ok' as const };
    } catch (err) {
      if (!isDatabaseUnavailable(err)) app.log.error({ err }, 'readiness check failed');
      reply.header('retry-after', '5');
      return reply.status(503).send({ status: 'unavailable', reason: 'database unreachable' });
    }
  });
};
export default healthRoutes;
