import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { needs } from '../../http/admin-auth.ts';
import { notFound } from '../../core/errors.ts';
import { MAINTENANCE_STATUSES } from '../../core/vocabulary.ts';
import { readJson, validate } from '../../http/errors.ts';
import { idListSchema, instantSchema } from '../../http/schemas.ts';
import { maintenanceAudience } from '../../maintenances/audience.ts';
import { createSeries, listSeries, scheduleDueOccurrences, stopSeries } from '../../maintenances/series.ts';
import { isTimeZone } from '../../lib/time-zone.ts';
import { earliestAllowedStart } from '../../maintenances/notice-rule.ts';
import { adminMaintenanceViews, listMaintenanceViews, loadMaintenanceViews } from '../../maintenances/admin-view.ts';
import {
  cancelMaintenance,
  completeMaintenance,
  createMaintenance,
  noticePolicy,
  startMaintenance,
  updateMaintenance,
} from '../../maintenances/service.ts';

const title = z.string().trim().min(1).max(200);
const message = z.string().trim().max(20_000);
const componentIds = idListSchema();

const createSchema = z.strictObject({
  title,
  message: message.default(''),
  starts_at: instantSchema,
  ends_at: instantSchema,
  component_ids: componentIds.default([]),
  notify: z.boolean().default(true),
});

const updateSchema = z
  .strictObject({ title: title.optional(), message: message.optional(), starts_at: instantSchema.optional(), ends_at: instantSchema.optional(), component_ids: componentIds.optional() })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'nothing to change: send title, message, starts_at, ends_at or component_ids' });

const seriesSchema = z.strictObject({
  title,
  message: message.default(''),
  rrule: z.string().trim().min(1).max(500),
  /** The first start as the zone's clock shows it. */
  first_start: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'must be a local date and time like 2026-12-06T02:00'),
  time_zone: z.string().refine(isTimeZone, 'must be an IANA time zone like America/Bogota').optional(),
  duration_minutes: z.number().int().min(1).max(7 * 24 * 60),
  /** How long before each occurrence it is announced; at least the minimum notice (the default is a week). */
  announce_ahead_hours: z.number().min(0).max(24 * 90).default(7 * 24),
  component_ids: componentIds.default([]),
});

const cancelSchema = z.strictObject({ reason: z.string().trim().max(2_000).optional() });

const listQuery = z.strictObject({ status: z.enum(MAINTENANCE_STATUSES).optional() });

/** `component_ids=a,b` (none: every subscriber). */
const audienceQuery = z.strictObject({
  component_ids: z
    .string()
    .max(20_000)
    .default('')
    .transform((v) => v.split(',').map((id) => id.trim()).filter(Boolean))
    .pipe(componentIds),
});

/** A body is optional for actions like cancel: an empty request is an empty object. */
async function optionalJson(c: Context): Promise<unknown> {
  const length = c.req.header('content-length');
  if (!c.req.header('content-type') && (length === undefined || length === '0')) return {};
  return readJson(c);
}

/**
 * Admin maintenance endpoints: schedule (held to the notice rule), change, start, complete, cancel,
 * list and show. Every change and the notices it causes are one transaction.
 */
export function adminMaintenanceRoutes(app: AppContext) {
  const routes = new Hono();
  const policy = () => noticePolicy(app.config);

  const show = async (id: string) => {
    const [view] = await adminMaintenanceViews(app, await loadMaintenanceViews(app.db, [id]));
    if (!view) throw notFound(`maintenance "${id}"`);
    return view;
  };

  routes.get('/', needs('viewer'), async (c) => {
    const query = validate(listQuery, c.req.query(), 'query');
    const views = await listMaintenanceViews(app.db, app.now(), query.status);
    return c.json({ maintenances: await adminMaintenanceViews(app, views) });
  });

  routes.post('/', needs('editor'), async (c) => {
    const body = validate(createSchema, await readJson(c));
    const now = app.now();
    const id = await app.db.transaction((tx) =>
      createMaintenance(
        tx,
        { title: body.title, message: body.message, startsAt: body.starts_at, endsAt: body.ends_at, componentIds: body.component_ids, notify: body.notify },
        { now, actor: 'admin', policy: policy() },
      ),
    );
    app.logger.info({ maintenance: id }, 'maintenance scheduled');
    app.publishedChanged('maintenance scheduled');
    return c.json({ maintenance: await show(id) }, 201);
  });

  // Before a window is scheduled: how many would be told on each channel, and the earliest start the rule allows.
  routes.get('/audience', needs('viewer'), async (c) => {
    const query = validate(audienceQuery, c.req.query(), 'query');
    const now = app.now();
    return c.json({
      audience: await maintenanceAudience(app.db, query.component_ids),
      min_notice_ms: policy().minNotice,
      earliest_allowed_start: earliestAllowedStart(now, policy().minNotice).toISOString(),
    });
  });

  // Recurring windows: each occurrence becomes a window of its own `announce_ahead` before it starts.
  routes.get('/series', needs('viewer'), async (c) => c.json({ series: await listSeries(app.db, app.now()) }));

  routes.post('/series', needs('editor'), async (c) => {
    const body = validate(seriesSchema, await readJson(c));
    const now = app.now();
    const id = await app.db.transaction((tx) =>
      createSeries(
        tx,
        {
          title: body.title,
          message: body.message,
          rrule: body.rrule,
          firstStart: body.first_start,
          timeZone: body.time_zone ?? app.config.site.timezone,
          durationMs: body.duration_minutes * 60_000,
          announceAheadMs: Math.round(body.announce_ahead_hours * 3_600_000),
          componentIds: body.component_ids,
        },
        { now, actor: 'admin', policy: policy() },
      ),
    );
    // The occurrences already within their announcement lead are scheduled (and announced) now, not at the next tick.
    const run = await scheduleDueOccurrences(app.db, now, policy());
    app.logger.info({ series: id, scheduled: run.scheduled.length }, 'recurring maintenance created');
    if (run.scheduled.length) app.publishedChanged('recurring maintenance scheduled');
    const series = (await listSeries(app.db, now)).find((s) => s.id === id)!;
    return c.json({ series }, 201);
  });

  routes.delete('/series/:id', needs('editor'), async (c) => {
    const id = c.req.param('id');
    await app.db.transaction((tx) => stopSeries(tx, id, app.now()));
    app.logger.info({ series: id }, 'recurring maintenance stopped');
    return c.body(null, 204);
  });

  routes.get('/:id', needs('viewer'), async (c) => c.json({ maintenance: await show(c.req.param('id')) }));

  routes.patch('/:id', needs('editor'), async (c) => {
    const id = c.req.param('id');
    const body = validate(updateSchema, await readJson(c));
    const result = await app.db.transaction((tx) =>
      updateMaintenance(
        tx,
        id,
        { title: body.title, message: body.message, startsAt: body.starts_at, endsAt: body.ends_at, componentIds: body.component_ids },
        { now: app.now(), policy: policy() },
      ),
    );
    app.logger.info({ maintenance: id, ...result }, 'maintenance changed');
    app.publishedChanged('maintenance changed');
    return c.json({ maintenance: await show(id) });
  });

  routes.post('/:id/start', needs('editor'), async (c) => {
    const id = c.req.param('id');
    await app.db.transaction((tx) => startMaintenance(tx, id, { now: app.now() }));
    app.logger.info({ maintenance: id }, 'maintenance started');
    app.publishedChanged('maintenance started');
    return c.json({ maintenance: await show(id) });
  });

  routes.post('/:id/complete', needs('editor'), async (c) => {
    const id = c.req.param('id');
    await app.db.transaction((tx) => completeMaintenance(tx, id, { now: app.now() }));
    app.logger.info({ maintenance: id }, 'maintenance completed');
    app.publishedChanged('maintenance completed');
    return c.json({ maintenance: await show(id) });
  });

  routes.post('/:id/cancel', needs('editor'), async (c) => {
    const id = c.req.param('id');
    const body = validate(cancelSchema, await optionalJson(c));
    await app.db.transaction((tx) => cancelMaintenance(tx, id, body.reason || null, { now: app.now() }));
    app.logger.info({ maintenance: id }, 'maintenance cancelled');
    app.publishedChanged('maintenance cancelled');
    return c.json({ maintenance: await show(id) });
  });

  return routes;
}
