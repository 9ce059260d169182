import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { notFound, readJson, validate } from '../../http/errors.ts';
import { instantSchema } from '../../http/schemas.ts';
import { createMaintenance } from '../../maintenances/service.ts';
import { loadPublishedState } from '../../status/read-model.ts';
import { v2Context, v2Maintenance } from '../../status/statuspage-v2.ts';

const createSchema = z.strictObject({
  title: z.string().trim().min(1).max(200),
  message: z.string().trim().max(20_000).default(''),
  starts_at: instantSchema,
  ends_at: instantSchema,
  component_ids: z.array(z.string().min(1)).default([]),
  notify: z.boolean().default(true),
});

/** Admin maintenance endpoints. */
export function adminMaintenanceRoutes(app: AppContext) {
  const routes = new Hono();

  const show = async (id: string) => {
    const now = app.now();
    const ctx = v2Context(app.config, await loadPublishedState(app.db, now), now);
    const m = ctx.state.maintenances.find((x) => x.id === id);
    if (!m) throw notFound(`maintenance "${id}"`);
    return v2Maintenance(ctx, m);
  };

  routes.post('/', async (c) => {
    const body = validate(createSchema, await readJson(c));
    const id = await app.db.transaction((tx) =>
      createMaintenance(
        tx,
        { title: body.title, message: body.message, startsAt: body.starts_at, endsAt: body.ends_at, componentIds: body.component_ids, notify: body.notify },
        { now: app.now(), actor: 'admin' },
      ),
    );
    app.logger.info({ maintenance: id }, 'maintenance scheduled');
    app.publishedChanged('maintenance scheduled');
    return c.json({ maintenance: await show(id) }, 201);
  });

  routes.get('/:id', async (c) => c.json({ maintenance: await show(c.req.param('id')) }));
  return routes;
}
