import { Hono } from 'hono';
import type { AppContext } from '../../context.ts';
import { needs } from '../../http/admin-auth.ts';
import { ApiError } from '../../http/errors.ts';
import { parseReportRange } from '../../reports/range.ts';
import { loadSlaReport } from '../../reports/sla-report.ts';
import { toCsv } from '../../sla/index.ts';

/** `GET /api/admin/reports/sla?month=YYYY-MM` or `?from=…&to=…`, as JSON or CSV (`format=csv` or `Accept: text/csv`). */
export function adminReportRoutes(app: AppContext) {
  const routes = new Hono();
  routes.get('/sla', needs('viewer'), async (c) => {
    let range;
    try {
      range = parseReportRange({ month: c.req.query('month'), from: c.req.query('from'), to: c.req.query('to') }, app.config.site.timezone);
    } catch (error) {
      throw new ApiError(400, 'invalid_range', (error as Error).message);
    }
    const report = await loadSlaReport(app.db, app.config, range, app.now());
    const wantsCsv = c.req.query('format') === 'csv' || (c.req.header('accept') ?? '').includes('text/csv');
    if (wantsCsv) {
      const lang = c.req.query('lang') === 'es' ? 'es' : 'en';
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', `attachment; filename="vigia-sla-${range.label.replace(/[^0-9A-Za-z.-]/g, '_')}.csv"`);
      return c.body(toCsv(report, lang));
    }
    return c.json({ range: { from: range.from.toISOString(), to: range.to.toISOString(), label: range.label }, report });
  });
  return routes;
}
