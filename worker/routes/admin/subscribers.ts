import { Hono } from 'hono';
import type { AppContext } from '../../context.ts';
import { needs } from '../../http/admin-auth.ts';
import { ConflictError, notFound } from '../../core/errors.ts';
import { limitedStream, sizeInWords } from '../../http/body-limit.ts';
import { ApiError, validate } from '../../http/errors.ts';
import { adminChannelSubscriptionView, channelFilterSchema, listChannelSubscriptions } from '../../subscribers/channel-admin-query.ts';
import { removeChannelSubscription } from '../../subscribers/channel-service.ts';
import { isTeamChannel } from '../../subscribers/team-channels.ts';
import { allSubscribers, listSubscribers, subscriberFilterSchema, subscriberPageSchema } from '../../subscribers/admin-query.ts';
import { eraseSubscriber } from '../../subscribers/erase.ts';
import { subscribersCsv } from '../../subscribers/export-csv.ts';
import { consentSourceSchema, csvRows, DEFAULT_CONSENT_SOURCE, importBodySchema, importSubscribers, type ImportRow } from '../../subscribers/import.ts';
import { ImportLog } from '../../subscribers/import-log.ts';
import { adminSubscriberView } from '../../subscribers/view.ts';

/** Query parameters with empty values dropped, so `?status=` means "any status". */
function query(params: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v.trim() !== ''));
}

/** A CSV import's body: read as it arrives, so only the time it takes grows with it. */
export const CSV_IMPORT_BYTES = 64 * 1024 * 1024;
/** A JSON import's body, parsed whole. */
export const JSON_IMPORT_BYTES = 5 * 1024 * 1024;

async function readAll(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}

/** Admin subscriber endpoints: import, search, export, erase; and the webhook and chat subscriptions, listed and removed. */
export function adminSubscriberRoutes(app: AppContext) {
  const routes = new Hono();

  const imports = new ImportLog(app.now);

  // The CSV form is read as it arrives (up to CSV_IMPORT_BYTES); the JSON form is parsed whole, so it is smaller.
  routes.post('/import', needs('editor'), async (c) => {
    const type = (c.req.header('content-type') ?? '').toLowerCase();
    let rows: Iterable<ImportRow> | AsyncIterable<ImportRow>;
    let source: string;
    let format: 'csv' | 'json';
    if (type.startsWith('text/csv')) {
      const params = query(c.req.query());
      source = params.consent_source ? validate(consentSourceSchema, params.consent_source, 'query consent_source') : DEFAULT_CONSENT_SOURCE;
      format = 'csv';
      rows = csvRows(limitedStream(c.req.raw.body, c.req.header('content-length'), CSV_IMPORT_BYTES, 'a CSV import'));
    } else if (type.includes('application/json')) {
      if (Number(c.req.header('content-length') ?? 0) > JSON_IMPORT_BYTES) {
        throw new ApiError(413, 'payload_too_large', `a JSON import is larger than ${sizeInWords(JSON_IMPORT_BYTES)}; send a CSV or split the list`);
      }
      const text = await readAll(limitedStream(c.req.raw.body, undefined, JSON_IMPORT_BYTES, 'a JSON import; send a CSV or split the list'));
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new ApiError(400, 'invalid_json', 'the request body is not valid JSON');
      }
      const body = validate(importBodySchema, parsed);
      source = body.consent_source ?? DEFAULT_CONSENT_SOURCE;
      format = 'json';
      rows = body.subscribers.map((fields, i) => ({
        row: i + 1,
        fields: fields !== null && typeof fields === 'object' && !Array.isArray(fields) ? (fields as Record<string, unknown>) : { __error: 'must be an object with "email"' },
      }));
    } else {
      throw new ApiError(415, 'unsupported_media_type', 'send the subscribers as application/json or text/csv');
    }
    const job = imports.start(format, source);
    try {
      const report = await importSubscribers(app, rows, source, job.progress);
      job.done(report);
      app.logger.info({ import: job.id, created: report.created, updated: report.updated, unchanged: report.unchanged, errors: report.errors.length + (report.errors_omitted ?? 0), source }, 'subscribers imported');
      return c.json(report);
    } catch (error) {
      job.failed(error instanceof Error ? error.message : 'the import stopped');
      throw error;
    }
  });

  routes.get('/imports', needs('viewer'), (c) => c.json({ imports: imports.list() }));
  routes.get('/imports/:id', needs('viewer'), (c) => {
    const status = imports.get(c.req.param('id'));
    if (!status) throw notFound(`import "${c.req.param('id')}"`);
    return c.json({ import: status });
  });

  routes.get('/', needs('viewer'), async (c) => {
    const page = await listSubscribers(app.db, validate(subscriberPageSchema, query(c.req.query()), 'query'));
    return c.json({ subscribers: page.subscribers.map(adminSubscriberView), total: page.total, next_cursor: page.nextCursor });
  });

  routes.get('/export', needs('viewer'), async (c) => {
    const rows = await allSubscribers(app.db, validate(subscriberFilterSchema, query(c.req.query()), 'query'));
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="subscribers-${app.now().toISOString().slice(0, 10)}.csv"`);
    c.header('Cache-Control', 'no-store');
    return c.body(subscribersCsv(rows));
  });

  // Webhook and chat subscriptions live apart from e-mail subscribers (a URL, not an address; other states), so they
  // have their own list rather than a mixed one whose pages and totals would join two tables.
  routes.get('/channels', needs('viewer'), async (c) => {
    const { subscriptions, total } = await listChannelSubscriptions(app.db, validate(channelFilterSchema, query(c.req.query()), 'query'));
    return c.json({ subscriptions: subscriptions.map(adminChannelSubscriptionView), total });
  });

  routes.delete('/channels/:id', needs('editor'), async (c) => {
    const id = c.req.param('id');
    if (isTeamChannel(id)) throw new ConflictError('config_channel', `channel subscription "${id}" is a team channel of the config file: remove it from notifications.team_channels in vigia.config.yaml`);
    if (!(await removeChannelSubscription(app, id))) throw notFound(`channel subscription "${id}"`);
    app.logger.info({ subscription: id }, 'channel subscription removed');
    return c.body(null, 204);
  });

  routes.delete('/:id', needs('editor'), async (c) => {
    const id = c.req.param('id');
    const erased = await app.db.transaction((tx) => eraseSubscriber(tx, id));
    if (!erased) throw notFound(`subscriber "${id}"`);
    app.logger.info({ subscriber: id }, 'subscriber erased');
    return c.body(null, 204);
  });

  return routes;
}
