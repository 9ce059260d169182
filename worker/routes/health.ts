import { Hono } from 'hono';
import { sql, max } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { sources, workerState } from '../../db/schema/index.ts';
import { eq } from 'drizzle-orm';

/** `GET /healthz`: is the database reachable, and when did the pollers and the mail dispatcher last run. */
export function healthRoutes(app: AppContext) {
  const routes = new Hono();
  routes.get('/healthz', async (c) => {
    try {
      await app.db.run(sql`select 1`);
      const [poll] = await app.db.select({ at: max(sources.lastPolledAt) }).from(sources);
      const [dispatch] = await app.db.select().from(workerState).where(eq(workerState.key, 'mail.last_dispatch_at'));
      return c.json({
        status: 'ok',
        database: 'reachable',
        last_poll_at: poll?.at ? new Date(poll.at).toISOString() : null,
        last_mail_dispatch_at: dispatch?.value ?? null,
        now: app.now().toISOString(),
      });
    } catch (error) {
      app.logger.error({ err: error }, 'health check failed');
      return c.json({ status: 'error', database: 'unreachable', error: { code: 'database_unreachable', message: 'the database cannot be reached' } }, 503);
    }
  });
  return routes;
}
