import { Hono } from 'hono';
import { z } from 'zod';
import { accountNames } from '../../accounts/service.ts';
import { auditCsv } from '../../audit/csv.ts';
import { readAudit } from '../../audit/store.ts';
import type { AppContext } from '../../context.ts';
import { needs } from '../../http/admin-auth.ts';
import { validate } from '../../http/errors.ts';
import { instantSchema } from '../../http/schemas.ts';

/** Entries one JSON page holds at most; a CSV export holds up to `CSV_ROWS`. */
const MAX_PAGE = 500;
const CSV_ROWS = 50_000;

const querySchema = z.strictObject({
  actor: z.string().trim().max(254).optional(),
  entity: z.string().trim().max(200).optional(),
  from: instantSchema.optional(),
  to: instantSchema.optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(100),
  format: z.enum(['json', 'csv']).default('json'),
});

/** `GET /api/admin/audit?actor=&entity=&from=&to=&format=csv`: the audit log, newest first, for owners. */
export function adminAuditRoutes(app: AppContext) {
  const routes = new Hono();
  routes.get('/', needs('owner'), async (c) => {
    const query = validate(querySchema, c.req.query(), 'query');
    const csv = query.format === 'csv';
    const entries = await readAudit(app.db, { ...query, actor: query.actor || undefined, entity: query.entity || undefined, limit: csv ? CSV_ROWS : query.limit });
    if (csv) {
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', 'attachment; filename="vigia-audit.csv"');
      return c.body(auditCsv(entries));
    }
    // The log keeps an account's e-mail (it never changes and names the account even once removed); people read names.
    const names = await accountNames(app.db, entries.filter((e) => e.actor.kind === 'account').map((e) => e.actor.id));
    const named = entries.map((e) => ({ ...e, actor: { ...e.actor, display_name: names.get(e.actor.id) ?? null } }));
    const last = entries.at(-1);
    return c.json({ entries: named, next_before: entries.length === query.limit && last ? last.id : null });
  });
  return routes;
}
