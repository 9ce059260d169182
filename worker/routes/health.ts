import { Hono } from 'hono';
import { eq, max, sql } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { sources, workerState } from '../../db/schema/index.ts';
import { HealthBoard } from '../lib/health.ts';

/**
 * `GET /healthz`: each part of this process (database, jobs, mail delivery, site, upstream polling) with its last
 * success and last error, and 503 while a part the notice promise rests on (database, jobs, mail delivery) is
 * failing. A provider that cannot be read is reported but is not a 503: Vigía itself works, it shows it as unknown.
 */
export function healthRoutes(app: AppContext) {
  const routes = new Hono();
  // A context without a board (some tests) still gets the database's part.
  const board = app.health ?? new HealthBoard(app.now);
  routes.get('/healthz', async (c) => {
    let lastPoll: string | null = null;
    let lastDispatch: string | null = null;
    try {
      await app.db.run(sql`select 1`);
      const [poll] = await app.db.select({ at: max(sources.lastPolledAt) }).from(sources);
      const [dispatch] = await app.db.select().from(workerState).where(eq(workerState.key, 'mail.last_dispatch_at'));
      board.retain('upstream', new Set((await app.db.select({ id: sources.id }).from(sources)).map((s) => s.id)));
      lastPoll = poll?.at ? new Date(poll.at).toISOString() : null;
      lastDispatch = dispatch?.value ?? null;
      board.succeeded('database');
    } catch (error) {
      app.logger.error({ err: error }, 'health check: the database cannot be reached');
      board.failed('database', 'the database cannot be reached');
    }
    const report = board.report();
    const body = {
      status: report.status,
      failing: report.failing,
      database: report.parts.database.state === 'ok' ? 'reachable' : 'unreachable',
      last_poll_at: lastPoll,
      last_mail_dispatch_at: lastDispatch,
      now: app.now().toISOString(),
      parts: report.parts,
      ...(report.status === 'ok'
        ? {}
        : { error: { code: 'unhealthy', message: `failing: ${report.failing.join(', ')}; notices may not go out` } }),
    };
    c.header('cache-control', 'no-store');
    return c.json(body, report.status === 'ok' ? 200 : 503);
  });
  return routes;
}
