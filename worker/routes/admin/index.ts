import { Hono } from 'hono';
import type { AppContext } from '../../context.ts';
import { requireAdminToken } from '../../http/admin-auth.ts';
import type { SlaTargetsFn } from '../../incidents/targets.ts';
import { adminIncidentRoutes } from './incidents.ts';
import { adminMaintenanceRoutes } from './maintenances.ts';
import { adminOutboxRoutes } from './outbox.ts';
import { adminReportRoutes } from './reports.ts';
import { adminSourceRoutes } from './sources.ts';
import { adminSubscriberRoutes } from './subscribers.ts';

/** Everything under /api/admin: Bearer ADMIN_TOKEN required. */
export function adminRoutes(app: AppContext, deps: { targets: SlaTargetsFn }) {
  const routes = new Hono();
  routes.use('*', requireAdminToken(app.env.ADMIN_TOKEN));
  routes.route('/incidents', adminIncidentRoutes(app, deps.targets));
  routes.route('/maintenances', adminMaintenanceRoutes(app));
  routes.route('/outbox', adminOutboxRoutes(app));
  routes.route('/reports', adminReportRoutes(app));
  routes.route('/sources', adminSourceRoutes(app));
  routes.route('/subscribers', adminSubscriberRoutes(app));
  return routes;
}
