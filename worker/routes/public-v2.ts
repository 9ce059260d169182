import { Hono } from 'hono';
import type { AppContext } from '../context.ts';
import { loadPublishedState } from '../status/read-model.ts';
import {
  v2Components,
  v2Context,
  v2Incidents,
  v2Maintenances,
  v2Page,
  v2Status,
  v2Summary,
  type V2Context,
} from '../status/statuspage-v2.ts';

/** The public read API, compatible with Atlassian Statuspage's public v2 API. */
export function publicV2Routes(app: AppContext) {
  const routes = new Hono();
  const load = async (): Promise<V2Context> => {
    const now = app.now();
    return v2Context(app.config, await loadPublishedState(app.db, now), now);
  };
  const json = (build: (ctx: V2Context) => Record<string, unknown>) => async (c: import('hono').Context) => {
    const ctx = await load();
    c.header('Cache-Control', 'public, max-age=10');
    c.header('Access-Control-Allow-Origin', '*');
    return c.json(build(ctx));
  };

  routes.get('/summary.json', json((ctx) => v2Summary(ctx)));
  routes.get('/status.json', json((ctx) => ({ page: v2Page(ctx), status: v2Status(ctx) })));
  routes.get('/components.json', json((ctx) => ({ page: v2Page(ctx), components: v2Components(ctx) })));
  routes.get('/incidents.json', json((ctx) => ({ page: v2Page(ctx), incidents: v2Incidents(ctx, 'all') })));
  routes.get('/incidents/unresolved.json', json((ctx) => ({ page: v2Page(ctx), incidents: v2Incidents(ctx, 'unresolved') })));
  routes.get('/scheduled-maintenances.json', json((ctx) => ({ page: v2Page(ctx), scheduled_maintenances: v2Maintenances(ctx, 'all') })));
  routes.get('/scheduled-maintenances/upcoming.json', json((ctx) => ({ page: v2Page(ctx), scheduled_maintenances: v2Maintenances(ctx, 'upcoming') })));
  routes.get('/scheduled-maintenances/active.json', json((ctx) => ({ page: v2Page(ctx), scheduled_maintenances: v2Maintenances(ctx, 'active') })));
  return routes;
}
