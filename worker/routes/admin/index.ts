import { Hono } from 'hono';
import type { AppContext } from '../../context.ts';
import { requireAdminToken } from '../../http/admin-auth.ts';
import { limitBody } from '../../http/body-limit.ts';
import type { SlaTargetsFn } from '../../incidents/targets.ts';
import { adminIncidentRoutes } from './incidents.ts';
import { adminMaintenanceRoutes } from './maintenances.ts';
import { adminOutboxRoutes } from './outbox.ts';
import { adminPreviewRoutes } from './previews.ts';
import { adminReportRoutes } from './reports.ts';
import { adminSourceRoutes } from './sources.ts';
import { adminSubscriberRoutes } from './subscribers.ts';

/**
 * An admin JSON body: the longest legitimate one (an update of 20,000 characters, every one escaped) is well under it.
 * The subscriber import has its own limits (`subscribers.ts`).
 */
export const ADMIN_BODY_BYTES = 256 * 1024;
const IMPORT_PATH = /\/subscribers\/import\/?$/;

/** Everything under /api/admin: Bearer ADMIN_TOKEN required. */
export function adminRoutes(app: AppContext, deps: { targets: SlaTargetsFn }) {
  const routes = new Hono();
  routes.use('*', requireAdminToken(app.env.ADMIN_TOKEN));
  const limited = limitBody(ADMIN_BODY_BYTES);
  routes.use('*', (c, next) => (IMPORT_PATH.test(c.req.path) ? next() : limited(c, next)));
  routes.route('/incidents', adminIncidentRoutes(app, deps.targets));
  routes.route('/maintenances', adminMaintenanceRoutes(app));
  routes.route('/outbox', adminOutboxRoutes(app));
  routes.route('/previews', adminPreviewRoutes(app));
  routes.route('/reports', adminReportRoutes(app));
  routes.route('/sources', adminSourceRoutes(app));
  routes.route('/subscribers', adminSubscriberRoutes(app));
  return routes;
}
