import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { notFound } from '../../core/errors.ts';
import { MAINTENANCE_STATUSES } from '../../core/vocabulary.ts';
import { readJson, validate } from '../../http/errors.ts';
import { idListSchema, instantSchema } from '../../http/schemas.ts';
import { maintenanceAudience } from '../../maintenances/audience.ts';
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

  routes.get('/', async (c) => {
    const query = validate(listQuery, c.req.query(), 'query');
    const views = await listMaintenanceViews(app.db, app.now(), query.status);
    return c.json({ maintenances: await adminMaintenanceViews(app, views) });
  });

  routes.post('/', async (c) => {
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
  routes.get('/audience', async (c) => {
    const query = validate(audienceQuery, c.req.query(), 'query');
    const now = app.now();
    return c.json({
      audience: await maintenanceAudience(app.db, query.component_ids),
      min_notice_ms: policy().minNotice,
      earliest_allowed_start: earliestAllowedStart(now, policy().minNotice).toISOString(),
    });
  });

  routes.get('/:id', async (c) => c.json({ maintenance: await show(c.req.param('id')) }));

  routes.patch('/:id', async (c) => {
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

  routes.post('/:id/start', async (c) => {
    const id = c.req.param('id');
    await app.db.transaction((tx) => startMaintenance(tx, id, { now: app.now() }));
    app.logger.info({ maintenance: id }, 'maintenance started');
    app.publishedChanged('maintenance started');
    return c.json({ maintenance: await show(id) });
  });

  routes.post('/:id/complete', async (c) => {
    const id = c.req.param('id');
    await app.db.transaction((tx) => completeMaintenance(tx, id, { now: app.now() }));
    app.logger.info({ maintenance: id }, 'maintenance completed');
    app.publishedChanged('maintenance completed');
    return c.json({ maintenance: await show(id) });
  });

  routes.post('/:id/cancel', async (c) => {
    const id = c.req.param('id');
    const body = validate(cancelSchema, await optionalJson(c));
    await app.db.transaction((tx) => cancelMaintenance(tx, id, body.reason || null, { now: app.now() }));
    app.logger.info({ maintenance: id }, 'maintenance cancelled');
    app.publishedChanged('maintenance cancelled');
    return c.json({ maintenance: await show(id) });
  });

  return routes;
}
