import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppContext } from '../../context.ts';
import { notFound } from '../../core/errors.ts';
import { ApiError, errorBody, readJson, validate } from '../../http/errors.ts';
import { allSubscribers, listSubscribers, subscriberFilterSchema, subscriberPageSchema } from '../../subscribers/admin-query.ts';
import { eraseSubscriber } from '../../subscribers/erase.ts';
import { subscribersCsv } from '../../subscribers/export-csv.ts';
import { consentSourceSchema, DEFAULT_CONSENT_SOURCE, importBodySchema, importSubscribers, rowsFromCsv, type ImportRow } from '../../subscribers/import.ts';
import { adminSubscriberView } from '../../subscribers/view.ts';

/** Query parameters with empty values dropped, so `?status=` means "any status". */
function query(params: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v.trim() !== ''));
}

/** Admin subscriber endpoints: import, search, export, erase. */
export function adminSubscriberRoutes(app: AppContext) {
  const routes = new Hono();

  routes.post(
    '/import',
    bodyLimit({ maxSize: 5 * 1024 * 1024, onError: (c) => c.json(errorBody('payload_too_large', 'an import is at most 5 MiB; split the list'), 413) }),
    async (c) => {
      const type = (c.req.header('content-type') ?? '').toLowerCase();
      let rows: ImportRow[];
      let source: string;
      if (type.startsWith('text/csv')) {
        const params = query(c.req.query());
        source = params.consent_source ? validate(consentSourceSchema, params.consent_source, 'query consent_source') : DEFAULT_CONSENT_SOURCE;
        rows = rowsFromCsv(await c.req.text());
      } else if (type.includes('application/json')) {
        const body = validate(importBodySchema, await readJson(c));
        source = body.consent_source ?? DEFAULT_CONSENT_SOURCE;
        rows = body.subscribers.map((fields, i) => ({
          row: i + 1,
          fields: fields !== null && typeof fields === 'object' && !Array.isArray(fields) ? (fields as Record<string, unknown>) : { __error: 'must be an object with "email"' },
        }));
      } else {
        throw new ApiError(415, 'unsupported_media_type', 'send the subscribers as application/json or text/csv');
      }
      const report = await importSubscribers(app, rows, source);
      app.logger.info({ created: report.created, updated: report.updated, unchanged: report.unchanged, errors: report.errors.length, source }, 'subscribers imported');
      return c.json(report);
    },
  );

  routes.get('/', async (c) => {
    const page = await listSubscribers(app.db, validate(subscriberPageSchema, query(c.req.query()), 'query'));
    return c.json({ subscribers: page.subscribers.map(adminSubscriberView), total: page.total, next_cursor: page.nextCursor });
  });

  routes.get('/export', async (c) => {
    const rows = await allSubscribers(app.db, validate(subscriberFilterSchema, query(c.req.query()), 'query'));
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="subscribers-${app.now().toISOString().slice(0, 10)}.csv"`);
    c.header('Cache-Control', 'no-store');
    return c.body(subscribersCsv(rows));
  });

  routes.delete('/:id', async (c) => {
    const id = c.req.param('id');
    const erased = await app.db.transaction((tx) => eraseSubscriber(tx, id));
    if (!erased) throw notFound(`subscriber "${id}"`);
    app.logger.info({ subscriber: id }, 'subscriber erased');
    return c.body(null, 204);
  });

  return routes;
}
